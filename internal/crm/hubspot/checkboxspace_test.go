package hubspot_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCheckboxesWrittenWithSpacesAreTaken: a multiple checkboxes value
// written as people write lists ("office; warehouse", from the payload or
// a mapping constant) goes to HubSpot as its options' values alone
// ("office;warehouse"), and crm check takes such a constant. HubSpot
// refuses an enumeration value with leading or trailing white space (400
// VALIDATION_ERROR, LEADING_TRAILING_WHITESPACE, since 2025-04-07:
// developers.hubspot.com/changelog/breaking-change-enhanced-validations-
// for-non-string-properties-in-hubspots-crmobject-apis), and no option's
// value has any: the lead was dead-lettered, and the check called the
// constant's " warehouse" no option.
func TestCheckboxesWrittenWithSpacesAreTaken(t *testing.T) {
	t.Parallel()
	const prop = "syncd_premises"
	srv, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{})
	srv.SetProperty("contacts", crmfake.Property{Name: prop, Label: "Premises", Type: "enumeration", FieldType: "checkbox", GroupName: "syncd",
		Options: []crmfake.Option{{Label: "Kontor", Value: "office"}, {Label: "Lager", Value: "warehouse"}, {Label: "Butik", Value: "shop"}}})
	a.ReadPropertiesBeforeWrites()
	cs, _ := hubspotLeads(3)
	cs[0].Properties[prop] = "office; warehouse"
	cs[1].Properties[prop] = " shop ;office"
	cs[2].Properties[prop] = "Lager; Butik"
	want := []string{"office;warehouse", "shop;office", "warehouse;shop"}
	for i, r := range a.UpsertContacts(context.Background(), cs) {
		if r.Err != nil || r.ID == "" {
			t.Errorf("contact %d (%q): %v (class %v)", i, cs[i].Properties[prop], r.Err, crmtest.Class(r.Err))
			continue
		}
		if got := srv.State().ContactsByEmail[cs[i].Email]; len(got) != 1 || got[0].Properties[prop] != want[i] {
			t.Errorf("contact %d holds %+v, want %s %q", i, got, prop, want[i])
		}
	}
	fs, err := a.Check(context.Background(), []syncd.FieldSpec{{Kind: syncd.RecordContact, Name: prop,
		Values: []string{"office; warehouse"}, Where: "hubspot/eaf.yaml:30"}})
	if err != nil || syncd.Failed(fs) {
		t.Fatalf("check of the constant \"office; warehouse\": %+v %v", fs, err)
	}
}

// TestOptionValueInAnotherCaseIsTaken: a dropdown whose options' labels
// are not their values (made by hand in HubSpot: "Kontor" is "office") and
// a portal that sends the value in another case ("Office"). syncd
// validate takes it, as it matches the options the mappings declare
// ignoring case, and crm check finds every declared option in HubSpot; but
// HubSpot takes an option's value as it is written (crmfake so): the
// adapter sent "Office" as it came and the lead was dead-lettered
// (INVALID_OPTION). It is sent as the option's value, in a select and in
// each element of multiple checkboxes.
func TestOptionValueInAnotherCaseIsTaken(t *testing.T) {
	t.Parallel()
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordContact, Name: "syncd_space_type", Type: "enumeration", Options: []string{"office", "warehouse", "shop"}, Dynamic: true, Where: "m.yaml:4"},
		{Kind: syncd.RecordContact, Name: "syncd_premises", Type: "enumeration", Options: []string{"office", "warehouse", "shop"}, Dynamic: true, Where: "m.yaml:5"},
	}
	srv, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{Fields: specs})
	opts := []crmfake.Option{{Label: "Kontor", Value: "office"}, {Label: "Lager", Value: "warehouse"}, {Label: "Butik", Value: "shop"}}
	srv.SetProperty("contacts", crmfake.Property{Name: "syncd_space_type", Label: "Space type", Type: "enumeration", FieldType: "select", GroupName: "syncd", Options: opts})
	srv.SetProperty("contacts", crmfake.Property{Name: "syncd_premises", Label: "Premises", Type: "enumeration", FieldType: "checkbox", GroupName: "syncd", Options: opts})
	if fs, err := a.Check(context.Background(), specs); err != nil || syncd.Failed(fs) {
		t.Fatalf("check: %+v %v", fs, err)
	}
	cs, _ := hubspotLeads(2)
	cs[0].Properties["syncd_space_type"] = "Office"
	cs[1].Properties["syncd_premises"] = "WAREHOUSE;Shop"
	want := []map[string]string{{"syncd_space_type": "office"}, {"syncd_premises": "warehouse;shop"}}
	for i, r := range a.UpsertContacts(context.Background(), cs) {
		if r.Err != nil || r.ID == "" {
			t.Errorf("contact %d (%v): %v (class %v)", i, want[i], r.Err, crmtest.Class(r.Err))
			continue
		}
		got := srv.State().ContactsByEmail[cs[i].Email]
		for k, v := range want[i] {
			if len(got) != 1 || got[0].Properties[k] != v {
				t.Errorf("contact %d holds %+v, want %s %q", i, got, k, v)
			}
		}
	}
}
