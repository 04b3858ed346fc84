package syncer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestMissingPropertyPauseSaysItInPlainWords: a HubSpot account without a
// property the mappings write refuses the batch (400
// PROPERTY_DOESNT_EXIST) and the adapter pauses. The pause's reason, which
// `syncd status` prints, was HubSpot's message as it came: "Property values
// were not valid: [{"isValid":false,"message":"Property \"…\" does not
// exist",…}]". It now says which property, on which object, and what to
// do: `syncd crm setup` for syncd's own property, else create it in
// HubSpot or stop writing it, at the mapping line that writes it; of a
// deal stage the account's pipeline lacks (its ids differ from the
// mapping's), which value, and to write one of the pipeline's stage ids.
func TestMissingPropertyPauseSaysItInPlainWords(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, property string
		want           []string
	}{
		{"syncd's own", "syncd_enquiry_at", []string{"property syncd_enquiry_at does not exist on deals in the HubSpot account",
			"run `syncd crm setup`"}},
		{"the account's", "budget_band", []string{"property budget_band does not exist on deals in the HubSpot account",
			"create it on deals in HubSpot, or stop writing it (eaf.yaml:14)"}},
		// A deal stage whose id differs in the account: the pipeline's
		// stages are the account's own ids.
		{"a stage the pipeline lacks", "dealstage", []string{`property dealstage on deals in the HubSpot account has no option "98765432"`,
			"write the id of a stage of the pipeline written, or add the stage in HubSpot (eaf.yaml:47)"}},
		// A property made by hand as a date, where the mappings declare
		// a number: HubSpot refuses every lead's number.
		{"a property of another type", "budget", []string{"property budget on deals in the HubSpot account refuses every lead's value alike (INVALID_DATE)",
			"the mappings declare (number, eaf.yaml:14)", "change the property's type in HubSpot, or the declaration"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fields := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: c.property, Where: "eaf.yaml:14",
				ValueWhere: map[string]string{"98765432": "eaf.yaml:47"}}}
			if c.property == "budget" {
				fields[0].Type = "number"
			}
			r := hubspotRig(t, crmfake.Options{StrictSchema: true, Stages: []string{"appointmentscheduled"}},
				hubspot.Options{Fields: fields}, func(o *syncer.Options) {
					o.Check = func(context.Context) error { return nil }
				})
			r.srv.SetProperty("deals", crmfake.Property{Name: "budget", Label: "Budget", Type: "date", FieldType: "date"})
			enqueueLeadsWith(t, r.db, hubspot.Name, 0, 2, func(i int, _, d *syncd.Op) { d.Properties[c.property] = "98765432" })
			sum, err := r.s.RunOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if sum.PausedUntil.IsZero() {
				t.Fatalf("not paused: %+v", sum)
			}
			for _, w := range append(c.want, "syncd crm check") {
				if !strings.Contains(sum.PauseReason, w) {
					t.Errorf("pause reason %q\nlacks %q", sum.PauseReason, w)
				}
			}
			for _, raw := range []string{"isValid", "{", "PROPERTY_DOESNT_EXIST", "INVALID_OPTION", "was not"} {
				if strings.Contains(sum.PauseReason, raw) {
					t.Errorf("pause reason %q\nholds HubSpot's raw answer (%s)", sum.PauseReason, raw)
				}
			}
		})
	}
}
