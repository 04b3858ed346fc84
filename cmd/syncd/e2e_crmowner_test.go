package main_test

import (
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestHubSpotDeactivatedOwnerIsSaidDeactivated: the mappings give every
// deal to owner 102, whose user an admin deactivated in HubSpot (its owner
// archived: GET /crm/v3/owners leaves it out, ?archived=true lists it).
// syncd crm check said `no owner has that id, or its user was
// deactivated`, leaving the operator to find which in HubSpot; it now
// reads the archived owners and says the owner is deactivated. The pause
// at the refused deal says to write an active owner's id, and that the
// check tells a deactivated one, as the daemon's check logs.
func TestHubSpotDeactivatedOwnerIsSaidDeactivated(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, StrictSchema: true})
	fake.DeactivateOwner("102")
	maps, shipped := shippedMappingsEdited(t, dir, "hubspot", func(_, s string) string {
		return regexp.MustCompile(`(?m)^( *)(dealstage: .*)$`).ReplaceAllString(s, `$1$2`+"\n"+`${1}hubspot_owner_id: {const: "102"}`)
	})
	config := writeListeningConfig(t, dir, crmConfig(dir, url, e2eLBToken), shipped, maps)
	out, errOut, code := syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup, exit %d:\n%s%s", code, out, errOut)
	out, errOut, code = syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check, exit %d:\n%s%s", code, out, errOut)
	if code != 2 {
		t.Errorf("crm check: exit %d, want 2", code)
	}
	mustContain(t, "crm check", strings.Join(strings.Fields(out), " "),
		`owner "102" is deactivated: its user was deactivated in HubSpot, and a lead given to them would be worked by nobody`,
		`write an active owner's id in maps/eaf.yaml:48, maps/lokalebasen.yaml:39, or reactivate the user in HubSpot (Settings > Users & Teams)`)

	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "status to show a pause or a dead letter", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "hubspot: PAUSED until") || regexp.MustCompile(`dead letters\s+[1-9]`).MatchString(out)
	})
	t.Logf("syncd status:\n%s", out)
	mustContain(t, "status", strings.Join(strings.Fields(out), " "),
		`property hubspot_owner_id on deals in the HubSpot account has no option "102": write the id of one of the account's active owners; syncd crm check says whether this one's user was deactivated`)
	mustContain(t, "status", strings.Join(strings.Fields(out), " "), "crm check hubspot: FAILING, 1 problem: run syncd crm check")
	// The daemon's own check logs its finding, in the same words.
	waitFor(t, "the daemon's check to log the owner", func() bool { return strings.Contains(d.log(), `owner \"102\" is deactivated`) })
}
