package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestLeadsLeftInTheEarlierCRMAreNamed: an agency that ran syncd on
// HubSpot switches to Pipedrive (crm.kind, mapping.dir, crm setup, a
// restart). Its earlier lead is in HubSpot alone, every operation of it
// done there, and nothing said so: validate, the start log and status
// (exit 0) were silent, the replay that sends it to Pipedrive named only
// in the docs. They now name it and the replay, as for the dry run's
// leads. The person's next lead makes them in Pipedrive (no HubSpot id
// goes there); the replay adds the earlier lead's deal to that person,
// once, and the words go. Back on HubSpot, the leads that went only to
// Pipedrive meanwhile are named the same way, and HubSpot gets nothing of
// them unasked (nor any of Pipedrive's ids). Failed before the fix at
// validate: exit 0, no word of the lead left in HubSpot.
func TestLeadsLeftInTheEarlierCRMAreNamed(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	hub, hubConfig := oneLeadInHubSpot(t, dir)
	hubYAML, err := os.ReadFile(hubConfig)
	if err != nil {
		t.Fatal(err)
	}
	addr := regexp.MustCompile(`listen: (\S+)`).FindStringSubmatch(string(hubYAML))[1]

	// The switch: the Pipedrive configuration over the same file, set up.
	pd, _, pdConfig := setUpPipedrive(t, dir)
	listenOn(t, pdConfig, addr)
	const said = "1 lead went only to hubspot"
	_, stderr, code := syncdRun(t, "validate", "-config", pdConfig)
	if code != 0 || !strings.Contains(stderr, said) || !strings.Contains(stderr, "not in pipedrive") ||
		!strings.Contains(stderr, "syncd replay -since") {
		t.Fatalf("validate on Pipedrive after HubSpot: exit %d\n%s\nwant exit 0, %q, not in pipedrive and the replay", code, stderr, said)
	}
	d := start(t, pdConfig)
	defer func() { d.stop(t, syscall.SIGTERM) }()
	if !strings.Contains(d.log(), said) {
		t.Fatalf("the daemon's start on Pipedrive does not say %q:\n%s", said, d.log())
	}
	out, stderr, code := syncdRun(t, "status", "-config", pdConfig)
	since := regexp.MustCompile(`syncd replay -since (\S+) sends them to pipedrive`).FindStringSubmatch(out)
	if code != 0 || !strings.Contains(out, said+" (received since") || since == nil {
		t.Fatalf("status on Pipedrive after HubSpot: exit %d\n%s%s\nwant exit 0, %q and the replay", code, out, stderr, said)
	}
	if s := pd.State(); len(s.Contacts)+len(s.Deals) != 0 {
		t.Fatalf("Pipedrive holds %d persons and %d deals unreplayed", len(s.Contacts), len(s.Deals))
	}
	postEAFLeadOf(t, d, "02") // the same person, on Pipedrive alone: made there
	waitForRecords(t, pd, d, 1, 1, "the person's lead after the move")
	if out, stderr, code := syncdRun(t, "replay", "-config", pdConfig, "-since", since[1]); code != 0 {
		t.Fatalf("replay -since %s: exit %d\n%s%s", since[1], code, out, stderr)
	}
	waitForRecords(t, pd, d, 1, 2, "the replay of HubSpot's lead")
	waitFor(t, "the replay's operations done", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-config", pdConfig, "-state", "pending", "-json")) == 0
	})
	s := pd.State()
	if dups := s.Duplicates(); len(dups) != 0 {
		t.Fatalf("duplicates in Pipedrive: %v", dups)
	}
	for _, deal := range s.Deals {
		if len(deal.ContactIDs) != 1 || deal.ContactIDs[0] != s.Contacts[0].ID {
			t.Errorf("Pipedrive deal %s (lead %s) has persons %v, want the one person %s", deal.ID, deal.LeadID, deal.ContactIDs, s.Contacts[0].ID)
		}
	}
	if out, _, code := syncdRun(t, "status", "-config", pdConfig); code != 0 || strings.Contains(out, "only to hubspot") {
		t.Fatalf("status after the replay: exit %d\n%s\nwant exit 0, HubSpot's lead no longer named", code, out)
	}
	postEAFLeadOf(t, d, "03") // on Pipedrive alone
	waitForRecords(t, pd, d, 1, 3, "a lead on Pipedrive")
	waitFor(t, "the Pipedrive lead's operations done", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-config", pdConfig, "-state", "pending", "-json")) == 0
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// And back to HubSpot.
	if err := os.WriteFile(filepath.Join(dir, "syncd.yaml"), hubYAML, 0o600); err != nil {
		t.Fatal(err)
	}
	before := len(hub.Requests())
	d = start(t, hubConfig)
	out, stderr, code = syncdRun(t, "status", "-config", hubConfig)
	if code != 0 || !strings.Contains(out, "2 leads went only to pipedrive (received since") ||
		!strings.Contains(out, "sends them to hubspot") {
		t.Fatalf("status back on HubSpot: exit %d\n%s%s\nwant exit 0, the 2 leads that went only to Pipedrive and the replay", code, out, stderr)
	}
	for _, r := range hub.Requests()[before:] {
		if r.Method != "GET" && !strings.Contains(r.Path, "/search") && !strings.Contains(r.Path, "access-token") {
			t.Errorf("HubSpot was written unasked back from Pipedrive: %s %s %s", r.Method, r.Path, r.Body)
		}
	}
	if s := hub.State(); len(s.Contacts) != 1 || len(s.Deals) != 1 {
		t.Fatalf("HubSpot back from Pipedrive: %d contacts, %d deals, want its 1 and 1", len(s.Contacts), len(s.Deals))
	}
}

// oneLeadInHubSpot starts a daemon on a configuration in dir writing to a
// stand-in HubSpot, sends it one EAF lead, waits for its contact and deal
// to be done there and stops it: an agency's earlier CRM, before a move.
func oneLeadInHubSpot(t *testing.T, dir string) (*crmfake.Server, string) {
	t.Helper()
	hub, hubURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	hubConfig := writeCRMConfigOnPort(t, dir, hubURL, true)
	d := start(t, hubConfig)
	postEAFLeadOf(t, d, "01")
	waitForRecords(t, hub, d, 1, 1, "the lead in HubSpot")
	waitFor(t, "both operations done", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-config", hubConfig, "-state", "done", "-json")) == 2
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	return hub, hubConfig
}
