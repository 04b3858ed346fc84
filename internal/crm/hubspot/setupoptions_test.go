package hubspot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSetupOfAnEnumerationLackingAnOptionIsNotDone: syncd_enquiry_type, an
// enumeration the mappings declare with options client and extra, exists
// in HubSpot with client only. crm check names the missing option, but
// setup said the property "exists" (and, on the command line, "done",
// exit 0); HubSpot then refused every lead carrying "extra". The contract
// names no property update, so setup cannot add it: the row is "cannot
// fix", with the check's problem and fix.
func TestSetupOfAnEnumerationLackingAnOptionIsNotDone(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_enquiry_type", Label: "Enquiry type", Type: "enumeration", FieldType: "select",
		GroupName: "syncd", Options: []crmfake.Option{{Label: "Client", Value: "client"}}})
	specs := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "syncd_enquiry_type", Type: "enumeration", Options: []string{"client", "extra"}, Where: "x.yaml:5"}}
	acts, err := a.Setup(context.Background(), specs, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range acts {
		if act.Name == "syncd_enquiry_type" {
			if act.What != "cannot fix" || !strings.Contains(act.Detail, `"extra", an option the mappings declare`) || !strings.Contains(act.Detail, `add option "extra"`) {
				t.Fatalf("setup's row: %+v", act)
			}
			return
		}
	}
	t.Fatalf("no row for the property: %+v", acts)
}
