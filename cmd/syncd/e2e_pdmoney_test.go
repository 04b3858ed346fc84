package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateChecksPipedriveAmountsHaveACurrency: a Pipedrive monetary
// field takes an amount with its currency; syncd reads "450000 DKK", or
// "450000" beside the deal's currency property, and refuses an amount
// with neither, and the lead with it. Validate judged no monetary value
// ("examples map cleanly", exit 0), and every lead was then
// dead-lettered. It now runs the examples' amounts as the adapter reads
// them, the deal's currency included: exit 2 naming the property, the
// value and what Pipedrive takes; with the deal's currency written, 0.
func TestValidateChecksPipedriveAmountsHaveACurrency(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	maps := filepath.Join(dir, "mappings")
	if err := os.Mkdir(maps, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(currency string) {
		for _, f := range []string{"eaf.yaml", "lokalebasen.yaml"} {
			b, err := os.ReadFile(filepath.Join("../../mappings/pipedrive", f))
			if err != nil {
				t.Fatal(err)
			}
			s := string(b)
			if f == "eaf.yaml" {
				s = strings.Replace(s, "    syncd message: {type: text}\n", "    syncd message: {type: text}\n    Budget: {type: monetary}\n", 1)
				s = strings.Replace(s, "      syncd source: {const: eaf}\n", "      syncd source: {const: eaf}\n      Budget: {const: 450000}\n"+currency, 1)
			}
			if err := os.WriteFile(filepath.Join(maps, f), []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	abs, _ := filepath.Abs("../../mappings/hubspot")
	cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, "crm: {kind: pipedrive, pipedrive: {base_url: \"http://127.0.0.1:1/api/v2\", token: x}}\n"), abs, maps, 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	write("")
	_, stderr, code := syncdRun(t, "validate", "-offline", "-config", config, "-examples", "../../testdata/webhooks")
	want := `deal property Budget (monetary): "450000"`
	if code != 2 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "currency") || !strings.Contains(stderr, "eaf/email_lead.json") {
		t.Fatalf("validate without a currency: exit %d\n%s\nwant exit 2 and %s", code, stderr, want)
	}
	write("      currency: {const: DKK}\n")
	if _, stderr, code := syncdRun(t, "validate", "-offline", "-config", config, "-examples", "../../testdata/webhooks"); code != 0 {
		t.Fatalf("validate with the deal's currency: exit %d\n%s", code, stderr)
	}
}
