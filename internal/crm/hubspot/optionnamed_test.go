package hubspot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCheckTakesTheOptionTheAdapterSends: a dropdown and a multiple
// checkboxes property made by hand in HubSpot, whose options' labels are
// not their values ("Kontor" is office), and one name two options answer
// to ("Shop": the label of retail, the value shop but for case). A
// constant naming an option by its label or in another case is sent as
// the option's value (optionValue), and HubSpot takes it; crm check called
// it an error all the same ("the label, not the value", "differs from it
// in case"), failing a check of an account the leads went to. The check
// agrees with what is sent: such a constant passes, with a warning naming
// the value sent; a name several options answer to, sent as it is and
// refused, and one no option has, are errors. Each constant is then
// written, and HubSpot takes exactly those the check passes.
func TestCheckTakesTheOptionTheAdapterSends(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{})
	opts := []crmfake.Option{{Label: "Kontor", Value: "office"}, {Label: "Lager", Value: "warehouse"},
		{Label: "Shop", Value: "retail"}, {Label: "Butik", Value: "shop"}}
	srv.SetProperty("contacts", crmfake.Property{Name: "space_type", Label: "Space type", Type: "enumeration", FieldType: "select", GroupName: "contactinformation", Options: opts})
	srv.SetProperty("contacts", crmfake.Property{Name: "premises", Label: "Premises", Type: "enumeration", FieldType: "checkbox", GroupName: "contactinformation", Options: opts})
	cases := []struct {
		prop, value string
		severity    syncd.Severity // "": no finding
		says, sent  string
	}{
		{"space_type", "office", "", "", "office"},
		{"space_type", "shop", "", "", "shop"},
		{"space_type", "Kontor", syncd.SevWarn, `"Kontor" is the label of option "office" of space_type: syncd sends "office"`, "office"},
		{"space_type", "OFFICE", syncd.SevWarn, `"OFFICE" is, but for its case, the value of option "office" of space_type: syncd sends "office"`, "office"},
		{"space_type", "Shop", syncd.SevError, `"Shop" names several options of space_type ("retail" labelled "Shop", "shop" labelled "Butik")`, ""},
		{"space_type", "Garage", syncd.SevError, `"Garage" is not an option of space_type`, ""},
		{"premises", "Kontor; LAGER", syncd.SevWarn, `"Kontor" is the label of option "office" of premises; "LAGER" is, but for its case, the label of option "warehouse" of premises: syncd sends "office;warehouse"`, "office;warehouse"},
		{"premises", "office;Garage", syncd.SevError, `"Garage" is not an option of premises`, ""},
	}
	for _, c := range cases {
		fs, err := a.Check(context.Background(), []syncd.FieldSpec{{Kind: syncd.RecordContact, Name: c.prop, Values: []string{c.value}, Where: "m.yaml:9"}})
		if err != nil {
			t.Fatalf("check: %v", err)
		}
		f := crmtest.FindingOf(t, fs, c.prop)
		if f.Severity != c.severity || !strings.Contains(f.Problem, c.says) {
			t.Errorf("check of %s constant %q: %s %q, fix %q\nwant %q %q", c.prop, c.value, f.Severity, f.Problem, f.Fix, c.severity, c.says)
		}
		if c.severity != "" && !strings.Contains(f.Fix, "m.yaml:9") {
			t.Errorf("check of %s constant %q: fix %q names no line to change", c.prop, c.value, f.Fix)
		}
		cs, _ := hubspotLeads(1)
		cs[0].Properties[c.prop] = c.value
		r := a.UpsertContacts(context.Background(), cs)[0]
		got := srv.State().ContactsByEmail[cs[0].Email]
		switch {
		case c.sent == "" && r.Err == nil:
			t.Errorf("%s constant %q, an error of the check: HubSpot took it, contact %+v", c.prop, c.value, got)
		case c.sent != "" && r.Err != nil:
			t.Errorf("%s constant %q, which the check passes: %v (class %v)", c.prop, c.value, r.Err, crmtest.Class(r.Err))
		case c.sent != "" && (len(got) != 1 || got[0].Properties[c.prop] != c.sent):
			t.Errorf("%s constant %q: contact %+v, want %s %q", c.prop, c.value, got, c.prop, c.sent)
		}
	}
}

// TestCheckTakesDeclaredOptionsTheAdapterSends: options the fields:
// section declares for a dropdown made by hand, by its labels or in
// another case ("Kontor", "WAREHOUSE"): syncd validate takes a payload's
// "kontor" by them, and the adapter sends it as the option's value; crm
// check called each "not an option value" (deleted, or its internal value
// changed?). It passes them; a name several options answer to, and one no
// option has, are errors.
func TestCheckTakesDeclaredOptionsTheAdapterSends(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{})
	srv.SetProperty("contacts", crmfake.Property{Name: "space_type", Label: "Space type", Type: "enumeration", FieldType: "select", GroupName: "contactinformation",
		Options: []crmfake.Option{{Label: "Kontor", Value: "office"}, {Label: "Lager", Value: "warehouse"}, {Label: "Shop", Value: "retail"}, {Label: "Butik", Value: "shop"}}})
	spec := syncd.FieldSpec{Kind: syncd.RecordContact, Name: "space_type", Type: "enumeration", Dynamic: true, Where: "m.yaml:4"}
	for _, c := range []struct {
		declared string
		says     string // "": no error
	}{
		{"Kontor", ""},
		{"WAREHOUSE", ""},
		{"shop", ""},
		{"Shop", `"Shop", an option the mappings declare, names several options of space_type ("retail" labelled "Shop", "shop" labelled "Butik")`},
		{"Garage", `"Garage", an option the mappings declare, is not an option value of space_type in HubSpot`},
	} {
		spec.Options = []string{c.declared}
		fs, err := a.Check(context.Background(), []syncd.FieldSpec{spec})
		if err != nil {
			t.Fatalf("check: %v", err)
		}
		f := crmtest.FindingOf(t, fs, "space_type")
		if c.says == "" && f.Severity == syncd.SevError || c.says != "" && (f.Severity != syncd.SevError || !strings.Contains(f.Problem, c.says)) {
			t.Errorf("check of the declared option %q: %s %q, fix %q\nwant an error %q", c.declared, f.Severity, f.Problem, f.Fix, c.says)
		}
	}
}
