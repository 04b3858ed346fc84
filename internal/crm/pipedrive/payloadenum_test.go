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
	t.Parallel()
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

// TestCheckWarnsOfPayloadValuesIntoAFieldOfAnUndeclaredType: the
// mappings write the payload's location id into "syncd location id",
// declaring no type (`syncd crm setup` makes such a field text), and the
// account holds it as a number field (made by hand before setup, say).
// crm check called the account ready; a lead whose location id is
// "L-20071" was then dead-lettered. HubSpot's check warns of such a
// property; Pipedrive's now does too, naming the type and the rule's
// line. A declared type, or a text field, draws no warning.
func TestCheckWarnsOfPayloadValuesIntoAFieldOfAnUndeclaredType(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	srv.AddField("deal", crmfake.Field{Name: "syncd location id", Type: "double"})
	srv.AddField("deal", crmfake.Field{Name: "syncd enquiry at", Type: "date"})
	srv.AddField("deal", crmfake.Field{Name: "Budget", Type: "monetary"})
	srv.AddField("deal", crmfake.Field{Name: "syncd location key", Type: "varchar"})
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "syncd location id", Dynamic: true, Where: "pipedrive/lokalebasen.yaml:45"},
		{Kind: syncd.RecordDeal, Name: "syncd enquiry at", Type: "date", Dynamic: true, Where: "pipedrive/eaf.yaml:40"},
		{Kind: syncd.RecordDeal, Name: "Budget", Type: "monetary", Dynamic: true, Where: "pipedrive/eaf.yaml:41"},
		{Kind: syncd.RecordDeal, Name: "syncd location key", Dynamic: true, Where: "pipedrive/lokalebasen.yaml:46"},
		{Kind: syncd.RecordDeal, Name: "currency", Values: []string{"DKK"}},
	}
	fs, err := a.Check(context.Background(), specs)
	if err != nil {
		t.Fatal(err)
	}
	if syncd.Failed(fs) {
		t.Fatalf("a warning, not an error: %+v", fs)
	}
	ws := warningsOf(fs)
	for _, w := range []string{"pipedrive/lokalebasen.yaml:45", "of type double", "declare no type", "refused and dead-lettered", "declare its type"} {
		if !strings.Contains(ws["syncd location id"], w) {
			t.Errorf("the warning lacks %q: %q", w, ws["syncd location id"])
		}
	}
	for _, name := range []string{"syncd enquiry at", "Budget", "syncd location key"} {
		if w, ok := ws[name]; ok {
			t.Errorf("a warning of %s: %s", name, w)
		}
	}
}
