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
		"  kind: dryrun\n  hubspot:\n    token: pat-na1-abc\n": "c.yaml:8: crm.kind is dryrun, so nothing is sent to HubSpot though crm.hubspot has its token: " +
			"the leads are only recorded: write kind: hubspot under crm:",
		"  pipedrive:\n    token_file: /nonexistent/pd-token\n": "c.yaml:8: crm.kind is dryrun, so nothing is sent to Pipedrive",
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

// TestRecordAddressesAreWarnedOf: a contact_url or deal_url without {id},
// still holding the example's PORTAL, or not a web address spoils only
// the report's links to the CRM. It is a warning at its line with what to
// write: a refusal stopped the daemon, and its intake, for a link.
func TestRecordAddressesAreWarnedOf(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps + "\n" +
		"crm:\n  hubspot:\n    contact_url: https://app.hubspot.com/contacts/1234567/record/0-1/\n" +
		"    deal_url: https://app.hubspot.com/contacts/PORTAL/record/0-3/{id}\n" +
		"  pipedrive:\n    contact_url: acme.pipedrive.com/person/{id}\n"
	cfg, err := config.Parse("c.yaml", []byte(raw), env(nil))
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	w := fmt.Sprint(cfg.Warnings)
	for _, want := range []string{
		"c.yaml:9: crm.hubspot.contact_url https://app.hubspot.com/contacts/1234567/record/0-1/ has no {id}",
		"c.yaml:10: crm.hubspot.deal_url https://app.hubspot.com/contacts/PORTAL/record/0-3/{id} holds PORTAL",
		`c.yaml:12: crm.pipedrive.contact_url "acme.pipedrive.com/person/{id}" is not a web address`,
	} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings %s\nwant %q", w, want)
		}
	}
}

// TestMappingDirOfTheOtherCRMIsSaid: an operator who changed crm.kind from
// hubspot to pipedrive and left mapping.dir at mappings/hubspot (or the
// other way) got the mapping files' problems, a property type HubSpot has
// not or a deal without its name, each at a line of a mapping file, and
// nothing at the configuration line to change. It is now a warning at
// mapping.dir's line naming the folder to write; a folder named otherwise,
// or a dry run, which judges no CRM's mappings, is none.
func TestMappingDirOfTheOtherCRMIsSaid(t *testing.T) {
	hubspot, _ := filepath.Abs("../../mappings/hubspot")
	pipedrive, _ := filepath.Abs("../../mappings/pipedrive")
	for _, tc := range []struct{ kind, dir, want string }{
		{"pipedrive", hubspot, "c.yaml:6: mapping.dir " + hubspot + " is the hubspot mappings' folder, while crm.kind is pipedrive: " +
			"write dir: " + pipedrive + " under mapping: (or kind: hubspot under crm:)"},
		{"hubspot", pipedrive, "c.yaml:6: mapping.dir " + pipedrive + " is the pipedrive mappings' folder, while crm.kind is hubspot"},
		{"hubspot", hubspot, ""},
		{"dryrun", pipedrive, ""},
		{"hubspot", t.TempDir(), ""},
	} {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + tc.dir + "\n" +
			"crm:\n  kind: " + tc.kind + "\n  pipedrive:\n    base_url: https://acme.pipedrive.com/api/v2\n    token: abc\n  hubspot:\n    token: pat-na1-abc\n"
		cfg, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err != nil {
			t.Fatalf("%s with %s: %v", tc.kind, tc.dir, err)
		}
		w := fmt.Sprint(cfg.Warnings)
		if tc.want == "" && strings.Contains(w, "mappings' folder") || tc.want != "" && !strings.Contains(w, tc.want) {
			t.Errorf("crm.kind %s, mapping.dir %s: warnings %s\nwant %q", tc.kind, tc.dir, w, tc.want)
		}
	}
}
