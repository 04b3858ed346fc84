package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateJudgesTheCRMsOwnDatesAndNumbers: an operator setting the deal's
// close date wrote it as people write a day, formatDate(eaf_date,
// "02/01/2006"), into HubSpot's closedate or Pipedrive's
// expected_close_date, and its amount as {const: 1.500.000}. syncd
// validate judged only the fields the mappings declare a type of, said
// ok, and the CRM refused every lead with them. The CRM's own date and
// number fields are judged as such, with the line to fix; values written
// as the CRM takes them pass.
func TestValidateJudgesTheCRMsOwnDatesAndNumbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ crm, prop, want, amount, wantAmount string }{
		{"hubspot", "closedate", `hubspot/eaf.yaml:%d: deal property closedate (the CRM's own, a date and time): "06/09/2021": HubSpot takes a datetime as ISO 8601`,
			"amount", `hubspot/eaf.yaml:%d: rule "eaf-email-lead": deal property amount (the CRM's own, a number): "1.500.000": HubSpot takes a number as digits`},
		{"pipedrive", "expected_close_date", `pipedrive/eaf.yaml:%d: deal property expected_close_date (the CRM's own, a date): "06/09/2021": Pipedrive takes a date (YYYY-MM-DD`,
			"value", `pipedrive/eaf.yaml:%d: rule "eaf-email-lead": deal property value (the CRM's own, a number): "1.500.000": Pipedrive takes a number`},
	} {
		t.Run(tc.crm, func(t *testing.T) {
			dir := t.TempDir()
			maps := filepath.Join(dir, tc.crm)
			if err := os.MkdirAll(maps, 0o700); err != nil {
				t.Fatal(err)
			}
			shipped, err := os.ReadFile("../../mappings/" + tc.crm + "/eaf.yaml")
			if err != nil {
				t.Fatal(err)
			}
			at := "      syncd_lead_id: {expr: 'syncd.lead_id'}\n"
			if tc.crm == "pipedrive" {
				at = "      syncd lead id: {expr: 'syncd.lead_id'}\n"
			}
			i := strings.Index(string(shipped), at)
			if i < 0 {
				t.Fatalf("no %q in the shipped %s/eaf.yaml", at, tc.crm)
			}
			line := strings.Count(string(shipped[:i]), "\n") + 1
			write := func(layout, amount string) {
				b := string(shipped[:i]) + "      " + tc.prop + ": {expr: 'formatDate(eaf_date, \"" + layout + "\")', write: create}\n" +
					"      " + tc.amount + ": {const: '" + amount + "'}\n" + string(shipped[i:])
				if err := os.WriteFile(filepath.Join(maps, "eaf.yaml"), []byte(b), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			os.WriteFile(filepath.Join(dir, "token"), []byte("pat-na1-00000000-0000-0000-0000-000000000000\n"), 0o600)
			crm := "crm:\n  kind: hubspot\n  hubspot:\n    token_file: " + filepath.Join(dir, "token") + "\n"
			if tc.crm == "pipedrive" {
				crm = "crm:\n  kind: pipedrive\n  pipedrive:\n    base_url: http://127.0.0.1:1/api/v2\n    token_file: " + filepath.Join(dir, "token") + "\n"
			}
			config := writeConfigWith(t, dir, crm)
			b, _ := os.ReadFile(config)
			hubspotDir, _ := filepath.Abs("../../mappings/hubspot")
			os.WriteFile(config, []byte(strings.Replace(string(b), "dir: "+hubspotDir, "dir: "+maps, 1)), 0o600)

			write("02/01/2006", "1.500.000")
			out, stderr, code := syncdRun(t, "validate", "-offline", "-config", config, "-examples", "../../testdata/webhooks")
			for _, want := range []string{fmt.Sprintf(tc.want, line), fmt.Sprintf(tc.wantAmount, line+1)} {
				if code != 2 || !strings.Contains(stderr, want) {
					t.Errorf("a day and an amount as people write them: exit %d\n%s%s\nwant %s", code, out, stderr, want)
				}
			}
			write("2006-01-02", "1500000")
			if out, stderr, code := syncdRun(t, "validate", "-offline", "-config", config, "-examples", "../../testdata/webhooks"); code != 0 {
				t.Errorf("a day as the CRM takes it: exit %d\n%s%s", code, out, stderr)
			}
		})
	}
}
