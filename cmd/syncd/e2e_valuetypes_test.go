package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateChecksDeclaredTypesOnExamples: a mapping that declares a
// HubSpot date property and writes a timestamp into it (the enquiry's
// eaf_date as sent) passed validate ("examples map cleanly"), and HubSpot
// then refused every lead (INVALID_DATE: not midnight), each one
// dead-lettered. Validate now runs the examples' values through the
// declared types as HubSpot takes them and names the property, the value
// and what HubSpot takes, exit 2.
func TestValidateChecksDeclaredTypesOnExamples(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	maps := filepath.Join(dir, "mappings")
	if err := os.Mkdir(maps, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		b, err := os.ReadFile(filepath.Join("../../mappings/hubspot", f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "eaf.yaml" {
			b = []byte(strings.Replace(string(b), "    syncd_enquiry_at: {type: datetime, label: syncd enquiry at}\n",
				"    syncd_enquiry_at: {type: datetime, label: syncd enquiry at}\n    syncd_enquiry_day: {type: date}\n", 1))
			b = []byte(strings.Replace(string(b), "      syncd_source: {const: eaf}\n", "      syncd_source: {const: eaf}\n      syncd_enquiry_day: eaf_date\n", 1))
		}
		if err := os.WriteFile(filepath.Join(maps, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	abs, _ := filepath.Abs("../../mappings/hubspot")
	cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, "crm: {kind: hubspot, hubspot: {base_url: \"http://127.0.0.1:1\", token: x}}\n"), abs, maps, 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := syncdRun(t, "validate", "-offline", "-config", config, "-examples", "../../testdata/webhooks")
	want := `deal property syncd_enquiry_day (date): "2021-09-06T06:28:06+01:00"`
	if code != 2 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "YYYY-MM-DD") || !strings.Contains(stderr, "eaf/email_lead.json") {
		t.Fatalf("validate: exit %d\n%s\nwant exit 2 and %s", code, stderr, want)
	}
}

// TestValidateOnADryRunSaysValuesAreNotJudged: with crm.kind dryrun (the
// example configuration, an operator's first trial) validate judged no
// value against the fields' declared types, and said "map cleanly": a
// date the CRM refuses with every lead passed, found only once crm.kind
// named the CRM. It says the values are not judged, and when they are;
// with crm.kind hubspot it says nothing of it.
func TestValidateOnADryRunSaysValuesAreNotJudged(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	dry := writeConfig(t, t.TempDir())
	out, stderr, code := syncdRun(t, "validate", "-offline", "-config", dry, "-examples", "../../testdata/webhooks")
	if code != 0 || !strings.Contains(out, "values: not judged by a CRM's rules (crm dryrun sends nothing; emails alone are judged, as HubSpot judges them): the 2 fields the mappings declare a type of") {
		t.Errorf("validate of a dry run: exit %d\n%s%s", code, out, stderr)
	}
	hs := writeConfigWith(t, t.TempDir(), "crm: {kind: hubspot, hubspot: {base_url: \"http://127.0.0.1:1\", token: x}}\n")
	out, stderr, code = syncdRun(t, "validate", "-offline", "-config", hs, "-examples", "../../testdata/webhooks")
	if code != 0 || strings.Contains(out, "not judged") {
		t.Errorf("validate for HubSpot: exit %d\n%s%s", code, out, stderr)
	}
}
