package pipedrive

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Top-level fields of persons and deals; every other property is a custom
// field, named in the mapping files by its key or by the name a person
// sees, and resolved through the fields API. Deals also take `pipeline` and
// `stage` by name.
var (
	personInts = map[string]bool{"owner_id": true, "org_id": true, "visible_to": true}
	dealInts   = map[string]bool{"owner_id": true, "org_id": true, "visible_to": true, "pipeline_id": true, "stage_id": true, "probability": true}
	dealText   = map[string]bool{"title": true, "currency": true, "status": true, "expected_close_date": true, "close_time": true, "lost_reason": true}
	personText = map[string]bool{"name": true, "email": true, "phone": true, "first_name": true, "last_name": true}
)

// system reports whether a mapped property is a top-level field rather
// than a custom field.
func system(k syncd.RecordKind, name string) bool {
	if k == syncd.RecordDeal {
		return dealInts[name] || dealText[name] || name == "value" || name == "pipeline" || name == "stage"
	}
	return personInts[name] || personText[name]
}

func permanent(property, msg string) *syncd.CRMError {
	return &syncd.CRMError{Class: syncd.ErrPermanent, Code: "INVALID_PROPERTY", Message: msg, Property: property}
}

// number reads a number a JSON body can carry, as the JSON number it is
// sent as: the digits as written (syncd.NumberText: 9007199254740993 is
// not rounded to a double's 9007199254740992 on the way, nor 1.5e3 sent
// otherwise than 1500), or, written as no JSON number is ("+5", ".5",
// "007"), the value strconv reads. Not NaN nor an infinity, which strconv
// reads ("NaN", "Inf") and no JSON body can carry.
func number(v string) (json.Number, error) {
	s := strings.TrimSpace(v)
	n, err := strconv.ParseFloat(s, 64)
	if err == nil && (math.IsNaN(n) || math.IsInf(n, 0)) {
		err = strconv.ErrSyntax
	}
	if err != nil {
		return "", err
	}
	if json.Valid([]byte(s)) {
		if text, ok := syncd.NumberText(s); ok {
			return json.Number(text), nil
		}
	}
	return json.Number(strconv.FormatFloat(n, 'f', -1, 64)), nil
}

// personBody builds a person's JSON from a contact: for a create, or for
// an update, which leaves out create-only properties, the name fallback,
// and the emails and phones written with add (merged by updatePerson).
func personBody(c syncd.Contact, sc *schema, modes syncd.WriteModes, update bool) (map[string]any, error) {
	b := map[string]any{}
	custom := map[string]any{}
	props := c.Properties
	if update {
		props = modes.OnUpdate(syncd.RecordContact, props)
	}
	for k, v := range props {
		switch {
		case k == "name":
			b["name"] = v
		case k == "email" || k == "phone" || k == "first_name" || k == "last_name":
		case personInts[k]:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, permanent(k, fmt.Sprintf("person %s: not an integer", k))
			}
			if err := visibility(syncd.RecordContact, k, n); err != nil {
				return nil, err
			}
			b[k] = n
		default:
			if err := setCustom(custom, sc, syncd.RecordContact, k, v, c.Properties); err != nil {
				return nil, err
			}
		}
	}
	if !update {
		personName(c, b)
	}
	add := func(k string) bool { return update && modes.Of(syncd.RecordContact, k) == syncd.WriteAdd }
	if email := cmp.Or(c.Email, c.Properties["email"]); email != "" && !add("email") {
		b["emails"] = []map[string]any{{"value": email, "primary": true, "label": "work"}}
	}
	if phone := cmp.Or(c.Phone, c.Properties["phone"]); phone != "" && !add("phone") {
		b["phones"] = []map[string]any{{"value": phone, "primary": true, "label": "mobile"}}
	}
	if !update { // a person made of merged updates: those added to its lists (written with add) are in them
		if modes.Of(syncd.RecordContact, "email") == syncd.WriteAdd && len(c.EarlierEmails) > 0 {
			addAll(b, "emails", nil, inOrder(c.EarlierEmails, c.Email, c.Properties["email"]), "work")
		}
		if modes.Of(syncd.RecordContact, "phone") == syncd.WriteAdd && len(c.EarlierPhones) > 0 {
			addAll(b, "phones", nil, inOrder(c.EarlierPhones, c.Phone, c.Properties["phone"]), "mobile")
		}
	}
	if len(custom) > 0 {
		b["custom_fields"] = custom
	}
	return b, nil
}

// personName sets a new person's name (Pipedrive requires one) from
// first and last name, else its email, phone or key.
func personName(c syncd.Contact, b map[string]any) {
	if b["name"] == nil || b["name"] == "" {
		b["name"] = strings.TrimSpace(c.Properties["first_name"] + " " + c.Properties["last_name"])
	}
	if b["name"] == "" {
		b["name"] = cmp.Or(c.Email, c.Phone, c.Key)
	}
}

// dealBody builds a deal's JSON for a create or, leaving out create-only
// properties (pipeline and stage among them), an update; the lead id
// always goes into its field.
func dealBody(d syncd.Deal, leadKey string, personID int64, sc *schema, modes syncd.WriteModes, update bool) (map[string]any, error) {
	b := map[string]any{"person_id": personID}
	custom := map[string]any{}
	props := d.Properties
	if update {
		props = modes.OnUpdate(syncd.RecordDeal, props)
	}
	for k, v := range props {
		if err := dealProp(b, custom, sc, k, v, props); err != nil {
			return nil, err
		}
	}
	if err := placeStage(b, sc, props); err != nil {
		return nil, err
	}
	if !update && (b["title"] == nil || b["title"] == "") {
		b["title"] = "Lead " + d.LeadID
	}
	custom[leadKey] = d.LeadID
	b["custom_fields"] = custom
	return b, nil
}

func dealProp(b, custom map[string]any, sc *schema, k, v string, all map[string]string) error {
	switch {
	case k == "pipeline" || k == "stage":
		// by name: placeStage
	case k == "value":
		f, err := number(v)
		if err != nil {
			return permanent(k, "deal value: not a number")
		}
		b[k] = f
	case dealInts[k]:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return permanent(k, fmt.Sprintf("deal %s: not an integer", k))
		}
		if err := visibility(syncd.RecordDeal, k, n); err != nil {
			return err
		}
		b[k] = n
	case dealText[k]:
		b[k] = v
	default:
		return setCustom(custom, sc, syncd.RecordDeal, k, v, all)
	}
	return nil
}

// placeStage sets pipeline_id and stage_id from `pipeline` and `stage`
// written by name (or id).
func placeStage(b map[string]any, sc *schema, p map[string]string) error {
	var pid int64
	if v := p["pipeline"]; v != "" {
		id, err := sc.pipelineID(v)
		if err != nil {
			return err
		}
		b["pipeline_id"], pid = id, id
	}
	if v := p["stage"]; v != "" {
		id, err := sc.stageID(v, pid)
		if err != nil {
			return err
		}
		b["stage_id"] = id
	}
	return nil
}

// setCustom puts one custom field's value, typed for its field, under the
// field's key.
func setCustom(custom map[string]any, sc *schema, kind syncd.RecordKind, name, v string, all map[string]string) error {
	f, err := sc.field(kind, name)
	if err != nil {
		return err
	}
	if ownField(f) { // not to be sent in custom_fields: the check names it
		problem, fix := ownOf(kind, name, f, "the mappings")
		ce := configErr(name, problem+": "+fix)
		ce.Code = codeOwnField
		return ce
	}
	tv, err := typedIn(f, v, all, sc.zone)
	var ce *syncd.CRMError
	if errors.As(err, &ce) && ce.Code == codeOption {
		ce.Property = name // as the mappings name it (payloadOption)
	}
	if err != nil {
		return err
	}
	custom[f.Code] = tv
	return nil
}

// typed converts a mapped string into the JSON API v2 wants for the
// field's type: it coerces nothing itself [pd-mig]. A time without a zone
// is read in UTC: typed is for telling whether a value can be written.
func typed(f field, v string, all map[string]string) (any, error) {
	return typedIn(f, v, all, "UTC")
}

// typedIn is typed with zone (an IANA name) the time zone of a time or
// time range whose value names none.
func typedIn(f field, v string, all map[string]string, zone string) (any, error) {
	bad := func(want string) error {
		return permanent(f.Name, fmt.Sprintf("field %q (%s): %q is not %s", f.Name, f.Type, v, want))
	}
	switch f.Type {
	case "double":
		n, err := number(v)
		if err != nil {
			return nil, bad("a number")
		}
		return n, nil
	case "int", "user", "org", "people":
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return nil, bad("an id")
		}
		return n, nil
	case "monetary":
		return monetary(f, v, all, bad)
	case "enum":
		return optionID(f, v)
	case "set":
		return setIDs(f, v)
	case "date":
		return date(v, bad)
	case "boolean":
		t, err := strconv.ParseBool(v)
		if err != nil {
			return nil, bad("true or false")
		}
		return t, nil
	case "time", "timerange":
		return clock(f.Type == "timerange", v, zone, bad)
	case "daterange":
		from, until, ok := cutRange(v, " to ", "/")
		if !ok {
			return nil, bad(`"FROM/UNTIL" dates`)
		}
		d1, err1 := date(from, bad)
		d2, err2 := date(until, bad)
		if err := errors.Join(err1, err2); err != nil {
			return nil, bad(`"FROM/UNTIL" dates`)
		}
		return map[string]any{"value": d1, "until": d2}, nil
	case "address":
		return map[string]any{"value": v}, nil
	}
	return v, nil
}

// clock reads a time field's value, "09:00" or "09:00:00", a range's
// "09:00-17:00" (or "/", " to "), each optionally followed by the IANA
// name of its zone ("09:00 Europe/London"), else in zone.
func clock(isRange bool, v string, zone string, bad func(string) error) (any, error) {
	want := `a time ("09:00", or "09:00 Europe/London")`
	if isRange {
		want = `a time range ("09:00-17:00", or "09:00-17:00 Europe/London")`
	}
	v = strings.TrimSpace(v)
	if i := strings.LastIndexAny(v, " \t"); i >= 0 {
		if name := v[i+1:]; strings.Contains(name, "/") || name == "UTC" {
			if _, err := time.LoadLocation(name); err != nil {
				return nil, bad(want + ": " + name + " is no time zone")
			}
			v, zone = strings.TrimSpace(v[:i]), name
		}
	}
	if !isRange {
		c, err := clockOf(v)
		if err != nil {
			return nil, bad(want)
		}
		return map[string]any{"value": c, "timezone_name": zone}, nil
	}
	from, until, ok := cutRange(v, " to ", "/", "-")
	c1, err1 := clockOf(from)
	c2, err2 := clockOf(until)
	if !ok || err1 != nil || err2 != nil {
		return nil, bad(want)
	}
	return map[string]any{"value": c1, "until": c2, "timezone_name": zone}, nil
}

// clockOf reads "9:00", "09:00:00" or "9:00 PM" as "HH:MM:SS".
func clockOf(v string) (string, error) {
	for _, layout := range []string{"15:04:05", "15:04", "3:04 PM", "3:04PM", "3:04:05 PM"} {
		if t, err := time.Parse(layout, strings.ToUpper(strings.TrimSpace(v))); err == nil {
			return t.Format("15:04:05"), nil
		}
	}
	return "", fmt.Errorf("%q is no time of day", v)
}

// cutRange cuts a range's value at the first of seps it holds.
func cutRange(v string, seps ...string) (from, until string, ok bool) {
	for _, sep := range seps {
		if a, b, found := strings.Cut(v, sep); found {
			return strings.TrimSpace(a), strings.TrimSpace(b), true
		}
	}
	return "", "", false
}

// monetary reads "450000" or "450000 DKK"; without a currency in the value
// the deal's currency property is used.
func monetary(f field, v string, all map[string]string, bad func(string) error) (any, error) {
	parts := strings.Fields(v)
	if len(parts) == 0 || len(parts) > 2 {
		return nil, bad("an amount with a currency")
	}
	n, err := number(parts[0])
	if err != nil {
		return nil, bad("an amount")
	}
	cur := all["currency"]
	if len(parts) == 2 {
		cur = parts[1]
	}
	if cur == "" {
		return nil, bad(`"AMOUNT CURRENCY" (no currency given)`)
	}
	return map[string]any{"value": n, "currency": strings.ToUpper(cur)}, nil
}

func date(v string, bad func(string) error) (any, error) {
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, strings.TrimSpace(v)); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	return nil, bad("a date")
}

// setIDs reads a set field's value: its options' labels (or ids)
// separated by ";" or ",". A label may hold either itself (Pipedrive
// allows "Office, large"), so at each place the longest label written
// there is taken before the text is cut at the next separator.
func setIDs(f field, v string) ([]int64, error) {
	var ids []int64
	for rest := v; ; {
		rest = strings.TrimLeft(rest, " \t;,")
		if rest == "" {
			return ids, nil
		}
		part := nextOption(f, rest)
		id, err := optionID(f, strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
		rest = rest[len(part):]
	}
}

// nextOption is the option written at the start of s: the longest label
// (case ignored) s starts with that ends s or a separator follows, else
// the text up to the next separator.
func nextOption(f field, s string) string {
	best := ""
	for _, o := range f.Options {
		n := len(o.Label)
		if n > len(best) && n <= len(s) && strings.EqualFold(s[:n], o.Label) && optionEnds(s[n:]) {
			best = s[:n]
		}
	}
	if best != "" {
		return best
	}
	if i := strings.IndexAny(s, ";,"); i >= 0 {
		return s[:i]
	}
	return s
}

// optionEnds reports whether an option's label may end before s: s is
// empty or a separator follows (after spaces).
func optionEnds(s string) bool {
	s = strings.TrimLeft(s, " \t")
	return s == "" || s[0] == ';' || s[0] == ','
}

// optionID is the id of the option with label v, else of the option
// whose id is v: a label first, as options are often numbers ("Rooms": "1"
// to "20") that another option's id can equal. A value that is no option
// is a configuration error: the option is missing in Pipedrive.
func optionID(f field, v string) (int64, error) {
	if i := slices.IndexFunc(f.Options, func(o fieldOption) bool { return strings.EqualFold(o.Label, v) }); i >= 0 {
		return f.Options[i].ID, nil
	}
	if i := slices.IndexFunc(f.Options, func(o fieldOption) bool { return strconv.FormatInt(o.ID, 10) == v }); i >= 0 {
		return f.Options[i].ID, nil
	}
	ce := configErr(f.Name, fmt.Sprintf("%q is not an option of field %q", v, f.Name))
	ce.Code = codeOption
	return 0, ce
}
