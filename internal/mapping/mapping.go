// Package mapping turns stored webhook events into CRM operations through
// mapping files an operator can read, edit and check.
//
// A mapping file is YAML with a list of rules. Each rule names the sender
// kind and event type it applies to, an optional `when:` condition, and a
// contact and/or deal block whose keys are CRM property names and whose
// values are JSON paths into the payload, constants, or expr-lang
// expressions. Everything is compiled and type-checked against the
// documented payloads at load time; Map then runs without parsing anything.
package mapping

import (
	"errors"
	"fmt"
	"math"
	netmail "net/mail"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	exprfile "github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/tidwall/gjson"
	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// Rules is a loaded, compiled set of mapping rules for one CRM target. It
// is immutable and safe for concurrent use.
type Rules struct {
	target    string
	dealName  string
	rules     []*rule
	byEvent   map[schemaKey][]*rule
	names     map[schemaKey][]string // the fields its rules read as a name, by event type (namePaths)
	files     []File
	notLoaded LoadErrors             // files in the directory that look meant as mappings but are not
	fields    map[fieldKey]fieldDecl // `fields:` declarations
	modes     syncd.WriteModes
	sources   []syncd.Kind // the kinds the configuration has sources of; nil: not told
}

// File is a mapping file that was loaded and the SHA-256 of its content.
type File struct {
	Name string
	Hash string
	// Meaning is the SHA-256 of what the file says, without its comments
	// and layout (its YAML read as data): two hosts' copies that differ in
	// a comment, an indentation or line endings alone map alike. Hash
	// when the file does not read as data.
	Meaning string
}

// Target is the CRM target the rules were loaded for.
func (r *Rules) Target() string { return r.target }

// Files lists the loaded files in load order; nil Rules (none loaded)
// have none.
func (r *Rules) Files() []File {
	if r == nil {
		return nil
	}
	return append([]File(nil), r.files...)
}

// Len is the number of rules.
func (r *Rules) Len() int { return len(r.rules) }

// Result is what mapping one event gives.
type Result struct {
	State  syncd.MapState // mapped, ignored or unmappable
	Reason string         // why ignored or unmappable; when mapped, what was left out ("" for nothing)
	Rule   string         // the rule that applied; "" when none did
	// File and Line are where the property or when: is mapped whose value
	// could not be made, when unmappable for it; "" and 0 otherwise. No
	// personal data.
	File string
	Line int
	Ops  []syncd.Op // contact first, then its deal; nil unless mapped
}

// LeadID is the stable lead id of an event: its source and idempotency key,
// so that mapping the same event again, or a redelivery of it, addresses the
// same deal.
func LeadID(ev syncd.Event) string {
	if ev.Key == "" {
		return fmt.Sprintf("%s:event:%d", ev.Source, ev.ID)
	}
	return ev.Source + ":" + ev.Key
}

// Map applies the first rule (in load order) for the event's kind and type
// whose condition holds. No such rule: ignored. A rule that applies but
// cannot make valid records (no email and no phone number, no deal name, an
// expression failing): unmappable, with the reason.
func (r *Rules) Map(ev syncd.Event) Result {
	// stored by an older syncd as it came ("Email_Lead"): read as intake
	// reads it now. The upgrade's migration gave the events stored before
	// it their documented type, but on PostgreSQL an instance still on
	// such a syncd stores them so until it is upgraded too.
	ev.Type = sender.DocumentedType(ev.Kind, ev.Type)
	cands := r.byEvent[schemaKey{ev.Kind, ev.Type}]
	if len(cands) == 0 {
		return Result{State: syncd.MapIgnored, Reason: fmt.Sprintf("no rule for %s %s", ev.Kind, typeName(ev.Type))}
	}
	if !gjson.ValidBytes(ev.Payload) {
		return Result{State: syncd.MapUnmappable, Reason: "payload is not valid JSON"}
	}
	m := &run{ev: ev, root: parseRoot(ev.Payload), envType: cands[0].envType, names: r.names[schemaKey{ev.Kind, ev.Type}]}
	for _, ru := range cands {
		ok, err := m.when(ru)
		if err != nil {
			return whenFailed(ru, err)
		}
		if ok {
			return r.apply(m, ru)
		}
	}
	return Result{State: syncd.MapIgnored, Reason: fmt.Sprintf("no rule's condition holds for %s %s", ev.Kind, typeName(ev.Type))}
}

func typeName(t string) string {
	if t == "" {
		return "(no type)"
	}
	return syncd.ShownType(t) // a sender's text: a type of 10 kB or with a line break is quoted and cut
}

func unmappable(ru *rule, format string, args ...any) Result {
	res := Result{State: syncd.MapUnmappable, Rule: ru.name,
		Reason: fmt.Sprintf("rule %q: ", ru.name) + fmt.Sprintf(format, args...)}
	for _, a := range args {
		if v, ok := a.(*valueError); ok {
			res.File, res.Line = v.file, v.line
		}
	}
	return res
}

// whenFailed is the result of a rule whose when: failed for a lead.
func whenFailed(ru *rule, err error) Result {
	line, msg := failed(err, ru.whenPlaces)
	if line == 0 {
		line = ru.whenLine
	}
	return unmappable(ru, "%v", &valueError{what: "when", file: ru.file, line: line, msg: msg})
}

// valueError is a value a property or a when: could not make for a lead,
// with where it is mapped (file:line), so that the operator finds the line
// to fix without searching the files for the property's name.
type valueError struct {
	what, file, msg string
	line            int
}

func (e *valueError) Error() string {
	return fmt.Sprintf("%s (%s:%d): %s", e.what, e.file, e.line, e.msg)
}

// exprPos is expr-lang's position at the end of its messages, (line:column)
// within the expression, which reads as the file's.
var exprPos = regexp.MustCompile(` \((\d+):(\d+)\)$`)

// failed says that an expression failed for this lead, in one line (expr
// adds the expression and a caret on the next ones: a reason is one line
// of syncd events list's table), and the line of the file to name: where
// the part that failed is written, said with its column, by places (the
// expression's characters' places in the file); 0, its position said as
// within the expression, when they do not tell.
func failed(err error, places []pos) (int, string) {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	line := 0
	if m := exprPos.FindStringSubmatch(msg); m != nil {
		var fe *exprfile.Error
		at := "character " + m[2] + " of the expression"
		if m[1] != "1" {
			at = "line " + m[1] + ", character " + m[2] + " of the expression"
		}
		if errors.As(err, &fe) {
			if place := placeOf(places, fe.From); place.line > 0 {
				line, at = place.line, fmt.Sprintf("column %d", place.col)
			}
		}
		msg = msg[:len(msg)-len(m[0])] + " (at " + at + ")"
	}
	return line, "its expression failed for this lead: " + msg
}

// apply makes the records of rule ru.
func (r *Rules) apply(m *run, ru *rule) Result {
	res := Result{State: syncd.MapMapped, Rule: ru.name}
	if ru.contact != nil && ru.deal != nil {
		res.Ops = make([]syncd.Op, 0, 2) // an operation is some 300 bytes: made once, not grown
	}
	var contactKey string
	if ru.contact != nil {
		props, err := m.props(ru, "contact", ru.contact)
		if err != nil {
			return unmappable(ru, "%v", err)
		}
		key, kind, why, note := contactIdentity(props, ru.region, hubspotEmails(r.target))
		if key == "" {
			// what was left out of the email or phone is why there is none
			// ("contact_email is an object where text is expected")
			odd := ""
			if len(m.notes) > 0 {
				odd = "; " + strings.Join(m.notes, "; ")
			}
			return unmappable(ru, "contact has %s%s%s", why, m.phoneWhy(ru.contact, props), odd)
		}
		if note != "" {
			m.note(note)
		}
		if note := m.phoneLeftOut(ru.contact, props); note != "" {
			m.note(note)
		}
		contactKey = key
		op := r.op(m.ev, ru, syncd.RecordContact, key, "", props)
		op.KeyKind = kind
		res.Ops = append(res.Ops, op)
	}
	if ru.deal != nil {
		props, err := m.props(ru, "deal", ru.deal)
		if err != nil {
			return unmappable(ru, "%v", err)
		}
		if props[r.dealName] == "" {
			return unmappable(ru, "deal has no name (%s is empty)", r.dealName)
		}
		res.Ops = append(res.Ops, r.op(m.ev, ru, syncd.RecordDeal, LeadID(m.ev), contactKey, props))
	}
	if len(m.notes) > 0 {
		res.Reason = fmt.Sprintf("rule %q: %s", ru.name, strings.Join(m.notes, "; "))
	}
	return res
}

func (r *Rules) op(ev syncd.Event, ru *rule, kind syncd.RecordKind, key, contactKey string, props map[string]string) syncd.Op {
	return syncd.Op{
		EventID: ev.ID, Target: r.target, Kind: kind, Key: key, ContactKey: contactKey,
		Properties: props, MappingFile: ru.file, MappingHash: ru.hash, State: syncd.OpPending,
	}
}

// contactIdentity normalises the email and phone properties in place and
// returns the contact's key and what it is: the email, else the E.164 phone.
// The email's domain is in one form (sameDomain): ASCII where asciiDomain
// is set (HubSpot), else Unicode. An email that
// is not one (no @, two @, an empty part, spaces; for HubSpot, a domain
// that does not end in a top-level domain: notTLD) is dropped so the CRM
// does not reject the record;
// why says what was wrong with the email when there is no key (phoneWhy
// says what was wrong with the phone), and note what was left out of a
// contact its phone identifies ("" when nothing was).
func contactIdentity(props map[string]string, region string, asciiDomain bool) (key string, kind syncd.KeyKind, why, note string) {
	given, email, note, tld, refused := contactEmail(props["email"], asciiDomain)
	bad := "" // why an address was no email, in the note beside its phone
	switch {
	case email != "":
		props["email"] = email
	case !refused:
		delete(props, "email")
	case tld == "":
		delete(props, "email")
		why = fmt.Sprintf("no valid email (%q is not one)", given)
	default:
		delete(props, "email")
		bad = fmt.Sprintf(" (.%s is no top-level domain)", tld)
		why = fmt.Sprintf("no valid email (%q is not one: .%s is no top-level domain)", given, tld)
	}
	phone := ""
	if raw := props["phone"]; isE164(raw) {
		phone = raw // already normalised by phone(): parsing again costs ~10 µs
	} else if raw != "" {
		if phone = E164(raw, region); phone != "" {
			props["phone"] = phone
		}
	}
	switch {
	case email != "":
		return email, syncd.KeyEmail, "", note
	case phone != "" && why != "":
		return phone, syncd.KeyPhone, "", fmt.Sprintf(emailLeftOut+"%q left out, not an address%s; the contact goes by its phone", given, bad) // read by EmailLeftOut
	case phone != "":
		return phone, syncd.KeyPhone, "", ""
	case why != "":
		return "", "", why, ""
	}
	return "", "", "no email", ""
}

// contactEmail is the contact's email of raw, an email property's value,
// as contactIdentity takes it (asciiDomain: HubSpot's rules): given is raw
// as read (trimmed, lower case, without invisible characters); email the
// address the contact gets, "" when there is none; note what was left out
// of a field of several addresses. refused reports that raw held something
// but no address the CRM takes, tld the ending that made it none when that
// was why (HubSpot's "kim@hotmail.con").
func contactEmail(raw string, asciiDomain bool) (given, email, note, tld string, refused bool) {
	// An invisible character pasted with an address (a zero-width space,
	// a byte order mark, a soft hyphen) is no part of it: kept, the same
	// person would be another contact, keyed by what looks like the same
	// email, and the CRM refuses a soft hyphen in an address.
	given = strings.ToLower(strings.TrimSpace(syncd.AddressText(raw)))
	email = sameDomain(AddressWithin(given), asciiDomain)
	if !plausibleEmail(email) {
		if first, why := firstAddress(given, asciiDomain); first != "" {
			email, note = first, why // a client's two addresses in one field
		}
	}
	switch {
	case email == "":
		return given, "", note, "", false
	case !plausibleEmail(email):
		return given, "", note, "", true
	case asciiDomain: // HubSpot's rule; Pipedrive takes any ending
		if tld = notTLD(email); tld != "" {
			return given, "", note, tld, true
		}
	}
	return given, email, note, "", false
}

// phoneWhy says, after contactIdentity found no key in props (a block
// mapped from ps), what was wrong with the phone: none given, or text
// that is no phone number ("ring efter kl. 16"), quoted as the email is.
// The text is that of phone's property, or, when phone() gave "" for it,
// of the expression with phone() giving its argument as is (prop.given).
// Reasons reach the log at debug only.
func (m *run) phoneWhy(ps []prop, props map[string]string) string {
	given := props["phone"] // kept as given when it is no number
	for i := range ps {
		if given == "" && ps[i].given != nil {
			if v, err := m.vm.Run(ps[i].given, m.environment()); err == nil {
				given = strings.TrimSpace(Stringify(v))
			}
		}
	}
	if given == "" {
		return " and no phone"
	}
	return fmt.Sprintf(", and the phone given (%q) is not a phone number", given)
}

// phoneLeftOut says what of the phone a contact's lead gave was left out:
// all of it, phone() giving "" for it (when an email identifies it; a
// number written without its country code from abroad, "070 123 45 67",
// Swedish, to a Danish agency, or a note, "ring efter kl. 16"), or the
// numbers after the first ("12345678 / 87654321": the CRM gets the
// first). The CRM got no such number and no one was told; the event's
// reason (events show, the day's report) now says so. Text without a
// digit ("n/a", "-") is no number left out. "" when none was.
func (m *run) phoneLeftOut(ps []prop, props map[string]string) string {
	for i := range ps {
		if ps[i].given == nil {
			continue
		}
		v, err := m.vm.Run(ps[i].given, m.environment())
		if err != nil {
			return ""
		}
		given := strings.TrimSpace(dropControls(Stringify(v)))
		switch {
		case props["phone"] != "":
			if more := otherNumbers(given); more != "" {
				return fmt.Sprintf("contact's phone %q holds more than one number: the contact's is %s, and %q is left out (add it in the CRM by hand)",
					given, props["phone"], more)
			}
			return ""
		case !strings.ContainsFunc(given, unicode.IsDigit):
			return ""
		case strings.ContainsFunc(given, unicode.IsLetter):
			return fmt.Sprintf("contact's phone %q left out, not a phone number", given)
		}
		return fmt.Sprintf("contact's phone %q left out, not a number to call as written (too short, too long, or from abroad without its country code)", given)
	}
	return ""
}

// isE164 reports whether s has E.164's form: "+", then 8 to 15 digits
// without a leading zero.
func isE164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// AddressWithin is the address an email written as in a mail or on a web
// page holds: "Jane Doe <jane@x.dk>" (a From line) and "<jane@x.dk>" are
// jane@x.dk, and so is the link "mailto:jane@x.dk" (any case); anything
// else, two addresses among them, as it is. The first two were left out as
// no address; the link was the contact's key, which HubSpot refuses. The
// mapper keys a contact by it, and erase and export read an address given
// to them by it, so that both read one alike.
func AddressWithin(s string) string {
	if len(s) > len("mailto:") && strings.EqualFold(s[:len("mailto:")], "mailto:") {
		s = strings.TrimSpace(s[len("mailto:"):])
	}
	if !strings.HasSuffix(s, ">") {
		return s
	}
	if a, err := netmail.ParseAddress(s); err == nil {
		return a.Address
	}
	return s
}

// EmailKey is the contact key the mapper gives email for target (the
// CRM's name): composed (NFC), without the marks AddressText leaves out,
// in lower case, the address within a mailto: link or a From line, its
// domain in the form the CRM is keyed by (sameDomain: ASCII for HubSpot
// and the dry run, else Unicode). A key an older syncd stored
// ("mailto:jane@x.dk", one with a soft hyphen or a zero-width space, the
// other IDNA form) is the key of the same person today by it. It does not judge whether the
// result is an address.
func EmailKey(email, target string) string {
	s := strings.ToLower(strings.TrimSpace(syncd.AddressText(norm.NFC.String(email))))
	return sameDomain(AddressWithin(s), hubspotEmails(target))
}

// hubspotEmails reports whether target judges and keys a contact's email
// by HubSpot's rules (contactEmail's asciiDomain): HubSpot's, and the dry
// run's. The dry run loads HubSpot's files (a deal named by dealname,
// mapping.dir mappings/hubspot by default) and is an operator's trial of
// them: judged by neither CRM's rules, it kept kim@hotmail.con as the
// contact's email, which HubSpot leaves out, the contact going by its
// phone.
func hubspotEmails(target string) bool { return target == "hubspot" || target == "dryrun" }

// plausibleEmail reports whether s can be an address a CRM takes: one @,
// a local part and a domain of at least two labels, neither with an empty
// part (a leading, trailing or doubled dot), no spaces or separators.
// HubSpot refuses "kim@@x.dk" and "kim@x.dk." (INVALID_EMAIL) and the whole
// record with them; letters outside ASCII are left for the CRM to judge.
// No address is longer than 254 bytes (RFC 5321) or holds a control
// character: the email is the contact's key, and PostgreSQL refused an
// operation keyed by a NUL or by kilobytes, which held up every lead
// mapped after it.
func plausibleEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || len(s) > maxEmailLen || strings.ContainsFunc(s, unicode.IsControl) ||
		strings.ContainsFunc(s, unicode.IsSpace) || strings.ContainsAny(s, ",;:<>()[]\\\"") || strings.Contains(domain, "@") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 || slices.Contains(labels, "") || slices.Contains(strings.Split(local, "."), "") {
		return false
	}
	for _, l := range labels {
		if l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
	}
	return true
}

// sameDomain is email with its domain in the one form syncd keys it by:
// without the DNS root's trailing dot ("kim@x.dk." is kim@x.dk, and
// HubSpot refuses the dot), and, where it is an internationalised one, in
// the form IDNA maps it to: ASCII ("xn--mller-vua.dk") where ascii is set
// (HubSpot, which refuses letters outside ASCII in an address: such a
// contact went dead), else Unicode ("møller.dk", as a person reads it).
// Written either way, the same person's address was two contact keys:
// two persons in Pipedrive, which does not dedupe. A domain IDNA refuses
// is kept as written, for plausibleEmail and the CRM to judge. An ASCII
// domain without "xn--" (nearly all) costs a scan.
func sameDomain(email string, ascii bool) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return email
	}
	domain := email[at+1:]
	d := strings.TrimSuffix(domain, ".")
	if strings.Contains(d, "xn--") || !isASCII(d) {
		to := idna.Lookup.ToUnicode
		if ascii {
			to = idna.Lookup.ToASCII
		}
		if u, err := to(d); err == nil && u != "" {
			d = u
		}
	}
	if d == domain {
		return email
	}
	return email[:at+1] + d
}

// isASCII reports whether s holds only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// maxEmailLen is the longest an address can be (RFC 5321's path of 256
// octets, less its angle brackets).
const maxEmailLen = 254

func parseRoot(payload []byte) gjson.Result { return gjson.ParseBytes(payload) }

// run is the state of mapping one event: its parsed payload and, built on
// first use, the expression environment.
type run struct {
	ev      syncd.Event
	root    gjson.Result
	envType reflect.Type
	env     any
	vm      vm.VM
	bad     badNumbers // numbers of the payload no property can get as sent, once env is built
	odd     oddShapes  // values of the payload in another shape than documented, once read
	notes   []string   // what was left out of the records, for Result.Reason
	names   []string   // the fields the rules read as a name (namePaths)
}

func (m *run) environment() any {
	if m.env != nil {
		return m.env
	}
	meta := Meta{
		ID: m.ev.ID, Source: m.ev.Source, Kind: string(m.ev.Kind), Type: m.ev.Type,
		Key: m.ev.Key, LeadID: LeadID(m.ev),
	}
	if at := m.ev.ReceivedAsKept(); !at.IsZero() { // as kept: the same whichever host maps it
		meta.ReceivedAt = at.UTC().Format(time.RFC3339)
	}
	m.bad = badNumbers{}
	if m.envType == nil {
		env, _ := untypedValue(m.root, jsonPath{}, m.bad).(map[string]any)
		if env == nil {
			env = map[string]any{}
		}
		env[metaField] = meta
		m.env = env
		return env
	}
	v := reflect.New(m.envType).Elem()
	fill(v, m.root, jsonPath{}, m.bad, &m.odd)
	for _, path := range m.names {
		readName(v, m.root, path, &m.odd)
	}
	f, _ := fieldByTag(m.envType, metaField)
	v.FieldByIndex(f.Index).Set(reflect.ValueOf(meta))
	m.env = v.Interface()
	return m.env
}

func (m *run) when(ru *rule) (bool, error) {
	if ru.when == nil {
		return true, nil
	}
	out, err := m.vm.Run(ru.when, m.environment())
	if err != nil {
		return false, err
	}
	b, _ := out.(bool)
	return b, nil
}

// props evaluates a block; empty values are left out so that a missing
// field never blanks a value already in the CRM. Values are composed
// (Unicode NFC): a CRM compares bytes, so "å" sent decomposed from a Mac
// ("a" and a combining ring) would be another email, and another contact,
// than the "å" of the same person's next enquiry.
func (m *run) props(ru *rule, block string, ps []prop) (map[string]string, error) {
	out := make(map[string]string, len(ps))
	for i := range ps {
		p := &ps[i]
		fail := func(msg string) error {
			return &valueError{what: block + "." + p.name, file: ru.file, line: p.line, msg: msg}
		}
		var s string
		switch {
		case p.isPath:
			var why string
			if s, why = textOf(getPath(m.root, p.path, &m.odd), p.path, &m.odd); why != "" {
				return nil, fail(why)
			}
			m.noteOdd(p.path)
		case p.prog != nil:
			v, err := m.vm.Run(p.prog, m.environment())
			if err != nil {
				if date, ok := errors.AsType[unreadableDate](err); ok {
					// the sender's date, not the mapping's fault: the lead goes on without it
					m.note(fmt.Sprintf("%s left out: %s", p.name, date))
					continue
				}
				line, msg := failed(err, p.places)
				if line == 0 {
					line = p.line
				}
				return nil, &valueError{what: block + "." + p.name, file: ru.file, line: line, msg: msg}
			}
			if why := p.reads(m.bad); why != "" {
				return nil, fail(why)
			}
			for _, path := range p.paths {
				m.noteOdd(path)
			}
			if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
				return nil, fail(fmt.Sprintf("the expression gives %v, no number a CRM holds", f))
			}
			s = Stringify(v)
		default:
			s = p.constant
		}
		if p.name != "email" { // the contact's key: one with a NUL is no address (plausibleEmail), not another's
			s = dropControls(s)
		}
		if !p.message && !plainText(s) && !strings.ContainsAny(s, "\n\r\u0085\u2028\u2029") {
			// a company, a reference: its marks are no part of it; plain
			// ASCII text has none (the commonest case: ContainsAny of a
			// set beyond ASCII decodes s rune by rune)
			s = fieldText(s)
		}
		if s = strings.TrimSpace(s); s != "" {
			out[p.name] = norm.NFC.String(s)
		}
	}
	return out, nil
}

// dropControls is s without its control characters but tab and line
// breaks: a sender's NUL or ESC ("\u0000" in its JSON) is no text anyone
// reads, and a CRM refuses a NUL with the whole record. The invisible
// characters that reorder or hide text (syncd.Hidden) go too: a name
// "\u202emoc.elgoog" showed as google.com in the CRM.
func dropControls(s string) string {
	if plainText(s) {
		return s // the commonest case, found without decoding a rune
	}
	keep := func(r rune) bool {
		return (!unicode.IsControl(r) || r == '\t' || r == '\n' || r == '\r') && !syncd.Hidden(r)
	}
	if strings.IndexFunc(s, func(r rune) bool { return !keep(r) }) < 0 {
		return s // the common case, without a copy
	}
	return strings.Map(func(r rune) rune {
		if keep(r) {
			return r
		}
		return -1
	}, s)
}

// plainText reports whether s is printable ASCII, tabs and line breaks:
// text dropControls leaves as it is.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x7f || c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// pathString renders a gjson result at path as a property value; a list
// (from a "#" path) becomes its non-empty elements joined by ", ". A
// number is as the sender wrote it (syncd.NumberText); why says why one cannot
// be sent ("" when all can).
func pathString(r gjson.Result, path string) (s, why string) {
	if r.IsArray() {
		var parts []string
		for _, e := range r.Array() {
			s, why := pathString(e, path)
			if why != "" {
				return "", why
			}
			if s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", "), ""
	}
	switch {
	case r.Type == gjson.Null:
		return "", ""
	case r.Type == gjson.Number && r.Raw != "":
		text, ok := syncd.NumberText(r.Raw)
		if !ok {
			bad := badNumbers{}
			bad.add(path, r.Raw, notADouble)
			return "", bad[path]
		}
		return text, ""
	}
	return r.String(), ""
}
