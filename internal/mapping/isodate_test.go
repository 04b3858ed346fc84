package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestEAFDateInISO8601BasicOffsetMaps: eaf_date is documented as a
// datetime, shown with "+01:00"; ISO 8601 also writes the offset without
// its colon ("+0100", PHP's DATE_ISO8601) or as hours alone ("+01"). Such a
// lead was unmappable ("cannot read ... as a date") and never reached the
// CRM; it maps as the same instant as "+01:00", with the shipped mappings of
// both CRMs.
func TestEAFDateInISO8601BasicOffsetMaps(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(webhooksDir, "eaf", "email_lead.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"hubspot": {"syncd_enquiry_at", "2021-09-06T05:28:06Z"}, "pipedrive": {"syncd enquiry at", "2021-09-06"},
	}
	for _, date := range []string{
		"2021-09-06T06:28:06+0100",
		"2021-09-06T06:28:06+01",
		"2021-09-06 06:28:06+0100",
		"2021-09-06T06:28:06.250+0100",
		"2021-09-06T05:28:06+0000",
	} {
		var payload map[string]any
		if err := json.Unmarshal(body, &payload); err != nil {
			t.Fatal(err)
		}
		payload["eaf_date"] = date
		b, _ := json.Marshal(payload)
		path := filepath.Join(t.TempDir(), "email_lead.json")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		for target, w := range want {
			rules, err := Load(filepath.Join(mappingsDir, target), target)
			if err != nil {
				t.Fatal(err)
			}
			res := rules.Map(fixtureEvent(t, syncd.KindEAF, path))
			if res.State != syncd.MapMapped || len(res.Ops) != 2 || res.Ops[1].Properties[w[0]] != w[1] {
				t.Errorf("%s, eaf_date %s: %s %s %+v, want %s %s", target, date, res.State, res.Reason, res.Ops, w[0], w[1])
			}
		}
	}
}
