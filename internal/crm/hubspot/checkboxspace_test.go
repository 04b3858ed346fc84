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
