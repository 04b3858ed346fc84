package main_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestCRMSetupSaysTheIdsAreElsewhere: syncd sends nothing to another
// account than the one its CRM ids were made in until `syncd crm
// forget-links` records it, and `crm check` says so, but `crm setup` on a
// token of another account created its properties there without a word,
// exit 0: an integrator who pasted another client's token learnt nothing
// of it, and one whose agency moved was told to run a check that could
// only fail. Setup still creates them (the move's way out runs it before
// forget-links, and properties hold no lead), and its last line now names
// both accounts, that no lead goes there yet, and what to do: the
// forget-links of a move, or the right token and the properties to delete
// there. In the account of the CRM ids it says nothing of the kind.
func TestCRMSetupSaysTheIdsAreElsewhere(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	m := leadInTheOldPortal(t)
	out, stderr, code := syncdRun(t, "crm", "setup", "-config", m.config)
	if code != 0 || strings.Contains(out+stderr, "NOT") {
		t.Fatalf("setup in the account of the CRM ids: exit %d\n%s%s", code, out, stderr)
	}

	os.WriteFile(m.config, []byte(crmConfig(m.dir, m.newURL, e2eLBToken)), 0o600) // another account's token
	for _, dry := range []bool{true, false} {
		args := []string{"crm", "setup", "-config", m.config}
		if dry {
			args = append(args, "-dry-run")
		}
		out, stderr, code := syncdRun(t, args...)
		t.Logf("syncd %s, exit %d:\n%s%s", strings.Join(args, " "), code, out, stderr)
		if code != 0 {
			t.Fatalf("setup in another account: exit %d, want 0 (a move's way out runs it there)", code)
		}
		mustContain(t, "setup in another account", out,
			"hubspot account: hub id 2222222 (app-eu1.hubspot.com", "NOT the account the CRM ids syncd holds were made in (hub id 1111111)",
			"no lead goes there until", "syncd crm forget-links", "if the token is another client's")
	}
	if n := m.newFake.CountRequests(http.MethodPost, "/crm/v3/properties/deals", 0); n == 0 {
		t.Fatal("setup created nothing in the other account")
	}
}

// TestCRMCheckNamesTheAccountOfTheIds: after a move, the new account's
// token and pin in the configuration, before `crm forget-links`, crm
// check said on its first line that the token's account was "the pinned
// account (crm.hubspot.hub_id)", and in its one row that the token
// belonged "not to the pinned hub id 1111111": two pins, one configured,
// and a fix telling to pin the account. The row now names 1111111 as what
// it is: the account the CRM ids syncd holds were made in.
func TestCRMCheckNamesTheAccountOfTheIds(t *testing.T) {
	t.Parallel()
	m := leadInTheOldPortal(t)
	pinned := strings.Replace(crmConfig(m.dir, m.newURL, e2eLBToken), "    token: fake-private-app-token\n",
		"    token: fake-private-app-token\n    hub_id: \"2222222\"\n", 1)
	os.WriteFile(m.config, []byte(pinned), 0o600)
	out, stderr, code := syncdRun(t, "crm", "check", "-config", m.config)
	t.Logf("crm check on the new, pinned account before forget-links, exit %d:\n%s%s", code, out, stderr)
	if code != 2 || strings.Contains(out, "not to the pinned hub id 1111111") {
		t.Fatalf("crm check: exit %d, or 1111111 called pinned beside the pinned 2222222", code)
	}
	mustContain(t, "crm check", out, "hub id 2222222 (app-eu1.hubspot.com, STANDARD, UTC): the pinned account (crm.hubspot.hub_id)",
		"not to hub id 1111111, the account the CRM ids syncd holds were made in: nothing is sent to it", "syncd crm forget-links")
}
