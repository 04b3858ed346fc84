package crmfake_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestHubSpotCheckboxesAppendOnALeadingSemicolon: a multiple checkboxes
// value that starts with ";" adds its options to those the contact holds,
// as HubSpot does, and one without replaces them; with StrictSchema a bool
// property takes true or false only.
func TestHubSpotCheckboxesAppendOnALeadingSemicolon(t *testing.T) {
	srv, base := start(t, crmfake.Options{Token: "t", StrictSchema: true})
	srv.SetProperty("contacts", crmfake.Property{Name: "features", Label: "f", Type: "enumeration", FieldType: "checkbox",
		Options: []crmfake.Option{{Label: "A", Value: "a"}, {Label: "B", Value: "b"}, {Label: "C", Value: "c"}}})
	srv.SetProperty("contacts", crmfake.Property{Name: "furnished", Label: "f", Type: "bool", FieldType: "booleancheckbox"})
	upsert := func(props map[string]string) answer {
		in := map[string]any{"inputs": []map[string]any{{"id": "x@example.com", "idProperty": "email", "properties": props}}}
		return call(t, "POST", base+"/crm/v3/objects/contacts/batch/upsert", "t", in)
	}
	held := func() string {
		for _, c := range srv.State().Contacts {
			return c.Properties["features"]
		}
		return ""
	}
	for _, step := range []struct{ send, want string }{{";a", "a"}, {"b", "b"}, {";a;c", "b;a;c"}, {";b", "b;a;c"}, {"c", "c"}} {
		if a := upsert(map[string]string{"features": step.send}); a.status != 200 {
			t.Fatalf("%q: %d %s", step.send, a.status, a.raw)
		}
		if got := held(); got != step.want {
			t.Errorf("after %q the contact holds %q, want %q", step.send, got, step.want)
		}
	}
	for _, v := range []string{"yes", "True", "1"} {
		if a := upsert(map[string]string{"furnished": v}); a.status != 400 || !strings.Contains(a.raw, `"propertyName":["furnished"]`) {
			t.Errorf("bool %q: %d %s", v, a.status, a.raw)
		}
	}
	if a := upsert(map[string]string{"furnished": "false"}); a.status != 200 {
		t.Errorf("bool false: %d %s", a.status, a.raw)
	}
}
