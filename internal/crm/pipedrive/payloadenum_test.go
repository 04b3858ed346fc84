package pipedrive_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCheckWarnsOfPayloadValuesIntoAnEnumField: the agency's Pipedrive
// has its own deal field "Enquiry type", a single option (enum) field
// whose options are "Direct" and "Matched", and the operator maps
// Lokalebasen's enquiry.type ("client", "extra") into it, declaring no
// options. crm check said the account was ready, without a warning, and
// every lead was then dead-lettered (`"client" is not an option of field
// "Enquiry type"`). HubSpot's check warns of it; Pipedrive's now does
// too, naming the field's options and the mapping line, for a set field
// alike. Options the mappings declare are checked instead (no warning),
// as are constants; a text field draws none.
func TestCheckWarnsOfPayloadValuesIntoAnEnumField(t *testing.T) {
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	srv.AddField("deal", crmfake.Field{Name: "Enquiry type", Type: "enum", Options: []crmfake.PDOption{{Label: "Direct"}, {Label: "Matched"}}})
	srv.AddField("person", crmfake.Field{Name: "Interests", Type: "set", Options: []crmfake.PDOption{{Label: "Office"}, {Label: "Retail"}}})
	srv.AddField("deal", crmfake.Field{Name: "Kind", Type: "enum", Options: []crmfake.PDOption{{Label: "client"}, {Label: "extra"}}})
	srv.AddField("deal", crmfake.Field{Name: "Location", Type: "varchar"})
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "Enquiry type", Dynamic: true, Where: "pipedrive/lokalebasen.yaml:44"},
		{Kind: syncd.RecordContact, Name: "Interests", Dynamic: true, Where: "pipedrive/lokalebasen.yaml:33"},
		{Kind: syncd.RecordDeal, Name: "Kind", Type: "enum", Options: []string{"client", "extra"}, Dynamic: true, Where: "pipedrive/lokalebasen.yaml:20"},
		{Kind: syncd.RecordDeal, Name: "Location", Dynamic: true, Where: "pipedrive/lokalebasen.yaml:45"},
	}
	fs, err := a.Check(context.Background(), specs)
	if err != nil {
		t.Fatal(err)
	}
	if syncd.Failed(fs) {
		t.Fatalf("a warning, not an error: %+v", fs)
	}
	ws := warningsOf(fs)
	for name, want := range map[string][]string{
		"Enquiry type": {"pipedrive/lokalebasen.yaml:44", `"Direct", "Matched"`, "refused and dead-lettered", "add the values the portal sends as options in Pipedrive"},
		"Interests":    {"pipedrive/lokalebasen.yaml:33", `"Office", "Retail"`, "refused and dead-lettered"},
	} {
		for _, w := range want {
			if !strings.Contains(ws[name], w) {
				t.Errorf("the warning of %s lacks %q: %q", name, w, ws[name])
			}
		}
	}
	for _, name := range []string{"Kind", "Location"} {
		if w, ok := ws[name]; ok {
			t.Errorf("a warning of %s: %s", name, w)
		}
	}
}
