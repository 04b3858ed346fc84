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
	t.Parallel()
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

// TestSetupOfAReadOnlyPropertyIsNotDone: a mapping writes days_open, a
// property the account calculates, which crm check flags and HubSpot
// refuses every lead's value of (READ_ONLY_VALUE, a pause). Setup, which
// leaves the account's own properties alone, said nothing of it and ended
// "done", exit 0. Its row is now "cannot fix" (not done, exit 2), saying to
// stop writing it where the mapping does.
func TestSetupOfAReadOnlyPropertyIsNotDone(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	srv.SetProperty("deals", crmfake.Property{Name: "days_open", Label: "Days open", Type: "number", FieldType: "calculation_equation", Calculated: true})
	acts, err := a.Setup(context.Background(), []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "days_open", Where: "hubspot/eaf.yaml:30"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range acts {
		if act.Name == "days_open" {
			if act.What != "cannot fix" || !strings.Contains(act.Detail, "read-only") || !strings.Contains(act.Detail, "take it out of the mappings (hubspot/eaf.yaml:30)") {
				t.Fatalf("setup of a calculated property the mappings write: %+v", act)
			}
			return
		}
	}
	t.Fatalf("setup has no row for days_open: %+v", acts)
}
