package pipedrive

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Top-level fields of persons and deals; every other property is a custom
// field, keyed by its 40-character hash.
var (
	personInts = map[string]bool{"owner_id": true, "org_id": true, "visible_to": true}
	dealInts   = map[string]bool{"owner_id": true, "org_id": true, "visible_to": true, "pipeline_id": true, "stage_id": true, "probability": true}
	dealText   = map[string]bool{"title": true, "currency": true, "status": true, "expected_close_date": true, "close_time": true, "lost_reason": true}
)

func permanent(msg string) *syncd.CRMError {
	return &syncd.CRMError{Class: syncd.ErrPermanent, Code: "INVALID_PROPERTY", Message: msg}
}

// personBody builds a person's JSON from a contact: for a create, or for
// an update, which leaves out create-only properties and the name fallback,
// and the emails and phones written with add (merged by updatePerson).
func personBody(c syncd.Contact, modes syncd.WriteModes, update bool) (map[string]any, error) {
	b := map[string]any{}
	custom := map[string]any{}
	for k, v := range c.Properties {
		if update && modes.Of(syncd.RecordContact, k) == syncd.WriteCreate {
			continue
		}
		switch {
		case k == "name":
			b["name"] = v
		case k == "email" || k == "phone":
		case personInts[k]:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, permanent(fmt.Sprintf("person %s: not an integer", k))
			}
			b[k] = n
		default:
			custom[k] = v
		}
	}
	if !update {
		personName(c, b, custom)
	}
	add := func(k string) bool { return update && modes.Of(syncd.RecordContact, k) == syncd.WriteAdd }
	if email := firstOf(c.Email, c.Properties["email"]); email != "" && !add("email") {
		b["emails"] = []map[string]any{{"value": email, "primary": true, "label": "work"}}
	}
	if phone := firstOf(c.Phone, c.Properties["phone"]); phone != "" && !add("phone") {
		b["phones"] = []map[string]any{{"value": phone, "primary": true, "label": "mobile"}}
	}
	if len(custom) > 0 {
		b["custom_fields"] = custom
	}
	return b, nil
}

// personName sets a new person's name (Pipedrive requires one) from
// first and last name, else its email, phone or key.
func personName(c syncd.Contact, b, custom map[string]any) {
	if b["name"] == nil || b["name"] == "" {
		b["name"] = strings.TrimSpace(c.Properties["first_name"] + " " + c.Properties["last_name"])
		delete(custom, "first_name")
		delete(custom, "last_name")
	}
	if b["name"] == "" {
		b["name"] = firstOf(c.Email, c.Phone, c.Key)
	}
}

// dealBody builds a deal's JSON for a create or, leaving out create-only
// properties, an update; the lead id always goes into its field.
func dealBody(d syncd.Deal, leadField string, personID int64, modes syncd.WriteModes, update bool) (map[string]any, error) {
	b := map[string]any{"person_id": personID}
	custom := map[string]any{}
	for k, v := range d.Properties {
		if update && modes.Of(syncd.RecordDeal, k) == syncd.WriteCreate {
			continue
		}
		switch {
		case k == "value":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, permanent("deal value: not a number")
			}
			b[k] = f
		case dealInts[k]:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, permanent(fmt.Sprintf("deal %s: not an integer", k))
			}
			b[k] = n
		case dealText[k]:
			b[k] = v
		default:
			custom[k] = v
		}
	}
	if !update && (b["title"] == nil || b["title"] == "") {
		b["title"] = "Lead " + d.LeadID
	}
	custom[leadField] = d.LeadID
	b["custom_fields"] = custom
	return b, nil
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
