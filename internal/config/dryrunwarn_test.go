package config_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestDryRunWithACRMTokenIsSaid: the example's crm.kind: dryrun left as
// it is when the hubspot: lines below it were filled in passed validate,
// and serve recorded the leads without sending any to the CRM. Now it is a
// warning at kind's line (crm's section's when kind is left out) naming
// the kind to write; a dry run without a token, or a CRM chosen, is none.
func TestDryRunWithACRMTokenIsSaid(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	for crm, want := range map[string]string{
		"  kind: dryrun\n  hubspot:\n    token: pat-na1-abc\n": "c.yaml:8: crm kind is dryrun, so nothing is sent to HubSpot though crm.hubspot has its token: " +
			"the leads are only recorded: write kind: hubspot under crm:",
		"  pipedrive:\n    token_file: /nonexistent/pd-token\n": "c.yaml:8: crm kind is dryrun, so nothing is sent to Pipedrive",
		"  kind: dryrun\n": "",
		"  kind: hubspot\n  hubspot:\n    token: pat-na1-abc\n": "",
	} {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps + "\ncrm:\n" + crm
		cfg, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err != nil {
			t.Fatalf("%q: %v", crm, err)
		}
		w := fmt.Sprint(cfg.Warnings)
		if want == "" && strings.Contains(w, "dryrun") || want != "" && !strings.Contains(w, want) {
			t.Errorf("%q: warnings %s, want %q", crm, w, want)
		}
	}
}
