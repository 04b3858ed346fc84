package main_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/metrics"
)

// TestEraseAsksBeforeErasingAColleaguesLead: a colleague's lead names the
// person in its message ("min kollega kim@firma.dk kommer med"). erase
// -email kim@firma.dk without -crm found that lead too and erased it whole,
// silently: the colleague's message gone from syncd and from the report.
// Now it is refused (exit 2, nothing done), naming the colleague and the
// lead, and erased only when the operator says so with -others.
func TestEraseAsksBeforeErasingAColleaguesLead(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, config, d := colleaguesInTheCRM(t)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "erase", "-config", config, "-email", "kim@firma.dk")
	if code != 2 || out != "" || !strings.Contains(stderr, "lars@firma.dk: event 2") || !strings.Contains(stderr, "-others") {
		t.Fatalf("erase: exit %d, want 2 naming the colleague's lead and -others\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	if evs, _ := exportOf(t, config, "lars@firma.dk")["events"].([]any); len(evs) != 1 {
		t.Fatalf("after the refused erase the colleague has %d leads in syncd, want 1 (nothing done)", len(evs))
	}
	exportNamesTheColleague(t, config)
	out, stderr, code = syncdRun(t, "erase", "-config", config, "-email", "kim@firma.dk", "-others")
	if code != 0 || !strings.Contains(out, "erased: 2 events") || !strings.Contains(out, "kept linked: lars@firma.dk") {
		t.Fatalf("erase -others: exit %d, want 0, both leads erased and the colleague kept linked\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	if evs, _ := exportOf(t, config, "kim@firma.dk")["events"].([]any); len(evs) != 0 {
		t.Errorf("after erase -others the person is named by %d leads in syncd, want 0", len(evs))
	}
	// The colleague's contact and deal are not the person's: they stay
	// linked, and erase does not tell the operator to delete them by hand.
	lars := fake.State().ContactsByEmail["lars@firma.dk"][0].ID
	var larsDeals []string
	for _, deal := range fake.State().Deals {
		if slices.Contains(deal.ContactIDs, lars) {
			larsDeals = append(larsDeals, deal.ID)
		}
	}
	left := regexp.MustCompile(`(?m)^left in the CRM: .*$`).FindString(out)
	for _, id := range append(larsDeals, lars) {
		if regexp.MustCompile(`\b` + id + `\b`).MatchString(left) {
			t.Errorf("erase -others says to delete the colleague's record %s by hand: %s", id, left)
		}
	}
	// The colleague's deal of the lead erased may still name the person
	// (its description is his message): erase names it, for editing by
	// hand, as syncd no longer knows which deal it was. It said "edit
	// those by hand" of no deal in particular.
	if kept := regexp.MustCompile(`(?m)^kept linked: .*$`).FindString(out); len(larsDeals) != 1 ||
		!strings.Contains(kept, "kept linked: lars@firma.dk (hubspot deal "+larsDeals[0]+")") {
		t.Errorf("erase -others does not name the colleague's deal %v, which may still name the person: %s", larsDeals, kept)
	}
	// His contact and deal stay linked (kept linked, above), and are his:
	// his export lists both, the deal by the contact its link names.
	if links, _ := exportOf(t, config, "lars@firma.dk")["crm_links"].([]any); len(links) != 2 || len(larsDeals) != 1 {
		t.Errorf("after erase -others the colleague has %d CRM links (%d deals in the CRM), want his contact's and his deal's", len(links), len(larsDeals))
	}
}

// exportNamesTheColleague: the export of kim@firma.dk hands over the
// colleague's lead that names her (what erase -others erases) but said
// nothing of it, and listed his CRM links as hers, which erase keeps: a
// DPO sent a colleague's contact, unsaid, to the person asking. It now says
// on stderr whose leads they are, and lists only her links.
func exportNamesTheColleague(t *testing.T, config string) {
	t.Helper()
	out, stderr, code := syncdRun(t, "export", "-config", config, "-email", "kim@firma.dk")
	var ex struct {
		Events []any `json:"events"`
		Links  []struct {
			Key string `json:"key"`
		} `json:"crm_links"`
	}
	if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil {
		t.Fatalf("export: exit %d, %v\n%s%s", code, err, out, stderr)
	}
	if len(ex.Events) != 2 || !strings.Contains(stderr, "lars@firma.dk: event 2") {
		t.Errorf("export: %d events, stderr %q; want both leads and the colleague's named", len(ex.Events), stderr)
	}
	for _, l := range ex.Links {
		if l.Key == "lars@firma.dk" {
			t.Errorf("export lists the colleague's CRM link as the person's: %+v", ex.Links)
		}
	}
}

// TestEraseOthersSaysAColleagueNeverReachesTheCRM: the colleague's lead
// naming the person was not sent to the CRM yet (the syncer had not run).
// erase -others erased it, its CRM operations with it, and said the
// colleague "stays in the CRM": he never reaches it. It now says so.
func TestEraseOthersSaysAColleagueNeverReachesTheCRM(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "sync:\n  schedule: \"0 0 1 1 *\"\n  prompt_delay: 0s\n")
	d := start(t, config)
	// The syncer drains the outbox once at start: on a loaded machine that
	// drain could come after the leads were mapped and send them.
	waitFor(t, "the drain at start done", func() bool {
		return strings.Contains(metricsText(t, d.url), metrics.NameLastSync+"{")
	})
	postColleagues(t, d)
	waitFor(t, "both leads mapped", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config)) == 4
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "erase", "-config", config, "-email", "kim@firma.dk", "-others")
	if code != 0 || strings.Contains(out, "kept linked: lars@firma.dk") || !strings.Contains(out, "not sent: lars@firma.dk") {
		t.Fatalf("erase -others: exit %d, want 0 and the colleague said never to reach the CRM\nstdout: %s\nstderr: %s", code, out, stderr)
	}
}

// colleaguesInTheCRM starts a daemon syncing to a stand-in HubSpot, posts
// the two colleagues' leads (postColleagues) and waits until both are in
// the CRM, nothing pending; it returns the CRM, the configuration file and
// the daemon.
func colleaguesInTheCRM(t *testing.T) (*crmfake.Server, string, *daemon) {
	t.Helper()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	postColleagues(t, d)
	waitFor(t, "both leads in the CRM", func() bool {
		s := fake.State()
		return len(s.ContactsByEmail["kim@firma.dk"]) == 1 && len(s.ContactsByEmail["lars@firma.dk"]) == 1 && len(s.Deals) == 2 &&
			len(syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config)) == 0
	})
	return fake, config, d
}

// postColleagues posts two Lokalebasen leads of one firm: Kim's, and that
// of her colleague Lars, whose message names her (kim@firma.dk).
func postColleagues(t *testing.T, d *daemon) {
	t.Helper()
	for _, who := range [][3]string{{"kim@firma.dk", "Kim Firma", "ring mig op"}, {"lars@firma.dk", "Lars Firma", "min kollega kim@firma.dk kommer med"}} {
		body := `{"event_type":"enquiry_created","payload":{"location":{"id":"20064","external_key":"EJ-1"},` +
			`"enquiry":{"type":"extra"},"client":{"email":"` + who[0] + `","name":"` + who[1] + `"},"comment":"` + who[2] + `"}}`
		if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(body)); err != nil || a.Code != 200 {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
}

// TestEraseInCRMWithOthersErasesThePersonsOwnRecords: a colleague's lead
// names the person, and the person asks to be erased from the CRM too.
// erase -crm -others was refused ("-crm would also erase in the CRM other
// contacts"), a refusal from before -others kept the colleague's CRM links:
// the DPO had to erase without -crm and find and delete the person's
// contact and deals in the CRM by hand. Now it erases the person in syncd
// and their own contact and deal in the CRM; the colleague's lead goes from
// syncd, his contact and deal stay in the CRM.
func TestEraseInCRMWithOthersErasesThePersonsOwnRecords(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, config, d := colleaguesInTheCRM(t)
	lars := fake.State().ContactsByEmail["lars@firma.dk"][0].ID
	out, stderr, code := syncdRun(t, "erase", "-config", config, "-email", "kim@firma.dk", "-crm", "-others")
	if code != 0 || !strings.Contains(out, "erased: 2 events") || !strings.Contains(out, "kept linked: lars@firma.dk") {
		t.Fatalf("erase -crm -others: exit %d, want 0, both leads erased and the colleague kept linked\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	waitFor(t, "the person's contact and deal erased in the CRM", func() bool {
		s := fake.State()
		return len(s.ContactsByEmail["kim@firma.dk"]) == 0 && len(s.Deals) == 1
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	s := fake.State()
	if len(s.ContactsByEmail["lars@firma.dk"]) != 1 || len(s.Deals) != 1 || !slices.Contains(s.Deals[0].ContactIDs, lars) {
		t.Errorf("after erase -crm -others the colleague has %d contacts in the CRM and the deal left is %+v; want his contact and his deal",
			len(s.ContactsByEmail["lars@firma.dk"]), s.Deals)
	}
	if evs, _ := exportOf(t, config, "kim@firma.dk")["events"].([]any); len(evs) != 0 {
		t.Errorf("after erase -crm -others the person is named by %d leads in syncd, want 0", len(evs))
	}
}
