package crmfake_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestHubSpotRefusesSpaceAroundANonTextValue: with StrictSchema, a value of
// a number, bool or enumeration property with white space around it, or
// around an element of a multiple checkboxes value, is refused as HubSpot
// refuses it: 400 VALIDATION_ERROR, LEADING_TRAILING_WHITESPACE naming the
// property in the message's list; a text property keeps its spaces.
func TestHubSpotRefusesSpaceAroundANonTextValue(t *testing.T) {
	srv, base := start(t, crmfake.Options{Token: "t", StrictSchema: true})
	srv.SetProperty("contacts", crmfake.Property{Name: "features", Label: "f", Type: "enumeration", FieldType: "checkbox",
		Options: []crmfake.Option{{Label: "A", Value: "a"}, {Label: "B", Value: "b"}}})
	srv.SetProperty("contacts", crmfake.Property{Name: "rooms", Label: "r", Type: "number", FieldType: "number"})
	srv.SetProperty("contacts", crmfake.Property{Name: "note", Label: "n", Type: "string", FieldType: "text"})
	upsert := func(prop, v string) answer {
		in := map[string]any{"inputs": []map[string]any{{"id": "x@example.com", "idProperty": "email", "properties": map[string]string{prop: v}}}}
		return call(t, "POST", base+"/crm/v3/objects/contacts/batch/upsert", "t", in)
	}
	for _, c := range []struct{ prop, v string }{{"features", "a; b"}, {"features", "a\u00a0"}, {"features", ";a ;b"}, {"rooms", "3 "}} {
		a := upsert(c.prop, c.v)
		if a.status != 400 || a.body["category"] != "VALIDATION_ERROR" ||
			!strings.Contains(a.raw, `\"error\":\"LEADING_TRAILING_WHITESPACE\",\"name\":\"`+c.prop+`\"`) {
			t.Errorf("%s %q: %d %s", c.prop, c.v, a.status, a.raw)
		}
	}
	for _, c := range []struct{ prop, v string }{{"features", "a;b"}, {"features", ";b"}, {"rooms", "3"}, {"note", " spaced "}} {
		if a := upsert(c.prop, c.v); a.status != 200 {
			t.Errorf("%s %q: %d %s", c.prop, c.v, a.status, a.raw)
		}
	}
}
