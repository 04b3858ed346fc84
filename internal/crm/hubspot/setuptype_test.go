package hubspot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSetupOfAPropertyOfAnotherTypeIsNotDone: properties of another type
// than the mappings declare, which crm check flags and on which HubSpot
// refuses every lead's value. Of syncd's own (syncd_enquiry_at, a string
// where a date is declared), setup's row said only "exists as string,
// wanted date", with neither where nor what to do; of the account's own
// (budget, a string where a number is declared), setup said nothing at all
// and ended "done", exit 0. Both are now "cannot fix" rows (crm setup: not
// done, exit 2) naming both types, the mapping line and what to do, as
// the check does.
func TestSetupOfAPropertyOfAnotherTypeIsNotDone(t *testing.T) {
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_enquiry_at", Label: "Enquiry at", Type: "string", FieldType: "text", GroupName: "syncd"})
	srv.SetProperty("deals", crmfake.Property{Name: "budget", Label: "Budget", Type: "string", FieldType: "text"})
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "syncd_enquiry_at", Type: "date", Where: "hubspot/eaf.yaml:24"},
		{Kind: syncd.RecordDeal, Name: "budget", Type: "number", Where: "hubspot/eaf.yaml:26"},
	}
	want := map[string][]string{
		"syncd_enquiry_at": {"exists as string, the mappings declare date (hubspot/eaf.yaml:24)", "make it a date property again in HubSpot"},
		"budget":           {"exists as string, the mappings declare number (hubspot/eaf.yaml:26)", "make it a number property again in HubSpot"},
	}
	for _, dry := range []bool{true, false} {
		acts, err := a.Setup(context.Background(), specs, dry)
		if err != nil {
			t.Fatalf("setup (dry %v): %v", dry, err)
		}
		for name, words := range want {
			found := false
			for _, act := range acts {
				if act.Name != name {
					continue
				}
				found = true
				if act.What != "cannot fix" {
					t.Errorf("setup (dry %v) of %s: %+v; want cannot fix", dry, name, act)
				}
				for _, w := range words {
					if !strings.Contains(act.Detail, w) {
						t.Errorf("setup (dry %v) of %s: detail %q lacks %q", dry, name, act.Detail, w)
					}
				}
			}
			if !found {
				t.Errorf("setup (dry %v) has no row for %s: %+v", dry, name, acts)
			}
		}
	}
}
