package main_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// crmConfig is a daemon configuration that syncs to a HubSpot stand-in.
func crmConfig(dir, crmURL string, lbTokens ...string) string {
	return configYAML(dir, lbTokens, fmt.Sprintf(`crm:
  kind: hubspot
  hubspot:
    base_url: %s
    token: fake-private-app-token
sync:
  schedule: "@every 1s"
  prompt_delay: 100ms
`, crmURL))
}

// waitFor polls cond until it holds, failing the test after a minute: what
// takes a second here took over 30 s in full runs beside other engineers'
// (a load average of 12-20 on two cores, each poll a process of its own).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !polled(cond, 100*time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// polled is cond's answer; when false, it first pauses for at least
// least, and for twice what cond took when that is longer (up to a
// second): a check that runs the binary (status, outbox list, events
// list: some 60 ms of CPU each, longer at a load) then takes a third of
// the wait's time, not most of it, while a check of a log or a counter
// is still made every least. Some hundred waits check so, on the two
// cores eight tests at once share (eight of them, polled every 100 ms:
// 101, 102 and 98 runs of the binary in three runs; 89, 100 and 82 so).
func polled(cond func() bool, least time.Duration) bool {
	began := time.Now()
	if cond() {
		return true
	}
	time.Sleep(min(max(least, 2*time.Since(began)), max(least, time.Second)))
	return false
}

// TestDaemonDeliversToCRMAndReloads runs the real binary against the
// stand-in HubSpot over HTTP: the leads arrive as one contact and one deal
// each; a broken config on SIGHUP is refused while the daemon keeps
// serving; a good one rotates the token in without a restart, and its
// mappings' names and write modes apply from then on.
func TestDaemonDeliversToCRMAndReloads(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})

	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)

	lead, _ := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	enquiry, _ := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	failure, _ := os.ReadFile("../../testdata/webhooks/eaf/portal_submission_error.json")
	for _, p := range []struct {
		path string
		body []byte
	}{{"/hooks/eaf/" + e2eEAFToken, lead}, {"/hooks/lokalebasen/" + e2eLBToken, enquiry}, {"/hooks/eaf/" + e2eEAFToken, failure}} {
		if a, err := post(d.url+p.path, p.body); err != nil || a.Code != 200 {
			t.Fatalf("post %s: %+v %v", p.path, a, err)
		}
	}
	// The association is a call of its own after the deal's upsert: wait
	// for it too, or the check below races it.
	waitFor(t, "two contacts and two associated deals in the CRM", func() bool {
		s := fake.State()
		associated := 0
		for _, d := range s.Deals {
			if len(d.ContactIDs) > 0 {
				associated++
			}
		}
		return len(s.Contacts) == 2 && len(s.Deals) == 2 && associated == 2
	})
	s := fake.State()
	if dups := s.Duplicates(); len(dups) > 0 {
		t.Fatalf("duplicates in the CRM: %v", dups)
	}
	if len(s.ContactsByEmail["angela7913@hotmail.com"]) != 1 || len(s.ContactsByEmail["support@estateagentfeeds.com"]) != 1 {
		t.Fatalf("contacts by email: %v", s.ContactsByEmail)
	}
	for _, deal := range s.Deals {
		if len(deal.ContactIDs) != 1 {
			t.Fatalf("deal %s associated with %v, want its one contact", deal.ID, deal.ContactIDs)
		}
	}

	// A broken configuration is refused: the daemon keeps serving the old one.
	os.WriteFile(config, []byte("sources: [this is not: valid\n"), 0o600)
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload to be rejected", func() bool { return strings.Contains(d.log(), "reload rejected") })
	if a, _ := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(`{"event_type":"ping"}`)); a.Code != 200 {
		t.Fatalf("after a rejected reload the old token stopped working: %d", a.Code)
	}

	// A good one with a rotated token and an edited mapping is swapped in.
	maps, _ := filepath.Abs("../../mappings/hubspot")
	edited := filepath.Join(dir, "mappings")
	os.Mkdir(edited, 0o755)
	for _, f := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		b, _ := os.ReadFile(filepath.Join(maps, f))
		b = []byte(strings.Replace(string(b), `joinNonEmpty(" ", portalName(`, `joinNonEmpty(" ", "RELOADED", portalName(`, 1))
		b = []byte(strings.Replace(string(b), "company: payload.client.company", "company: {path: payload.client.company, write: create}", 1))
		os.WriteFile(filepath.Join(edited, f), b, 0o644)
	}
	newToken := "rotated-lokalebasen-token-4567"
	os.WriteFile(config, []byte(strings.Replace(crmConfig(dir, fakeURL, newToken), maps, edited, 1)), 0o600)
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"message":"reloaded"`) })
	second := strings.NewReplacer(`"eaf_id": "77722226661727188822717"`, `"eaf_id": "2"`,
		"support@estateagentfeeds.com", "second@example.com").Replace(string(lead))
	if a, _ := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(second)); a.Code != 200 || a.Status != "accepted" {
		t.Fatalf("second lead: %+v", a)
	}
	waitFor(t, "the second lead's deal, named by the reloaded mapping", func() bool {
		for _, deal := range fake.State().Deals {
			if strings.HasPrefix(deal.Properties["dealname"], "RELOADED Rightmove enquiry") {
				return true
			}
		}
		return false
	})
	first := fake.State().DealsByLead["eaf:eaf:77722226661727188822717"]
	if len(first) != 1 || strings.HasPrefix(first[0].Properties["dealname"], "RELOADED") {
		t.Fatalf("the first lead's deal should keep the name it was mapped with: %+v", first)
	}
	if a, _ := post(d.url+"/hooks/lokalebasen/"+newToken, []byte(`{"event_type":"ping2"}`)); a.Code != 200 {
		t.Fatalf("rotated token not accepted after reload: %d", a.Code)
	}
	if a, _ := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(`{"event_type":"ping3"}`)); a.Code != 401 {
		t.Fatalf("retired token still accepted after reload: %d", a.Code)
	}
	// The reloaded write mode: the company is now written on create only,
	// so a salesperson's edit survives the client's next enquiry. So does
	// the new email the salesperson gave her contact, though she writes
	// again from the old one: her contact is updated by its id, no second
	// contact made (it was, and the new deal went to it, without a word).
	angela := fake.State().ContactsByEmail["angela7913@hotmail.com"][0]
	const newEmail = "angela.baker@bakers.dk"
	if err := fake.EditContact(angela.ID, crmfake.Edit{Properties: map[string]string{"company": "Edited in HubSpot", "email": newEmail}}); err != nil {
		t.Fatal(err)
	}
	deals := len(fake.State().Deals)
	// Another location, and a new phone number: the contact has something
	// to update (an identical contact is not sent again at all).
	again := strings.NewReplacer(`"id": "20064"`, `"id": "20065"`, `"52 25 05 59"`, `"52 25 05 60"`).Replace(string(enquiry))
	if a, _ := post(d.url+"/hooks/lokalebasen/"+newToken, []byte(again)); a.Code != 200 || a.Status != "accepted" {
		t.Fatalf("Angela's second enquiry: %+v", a)
	}
	// Its deal and then its association with a contact: the association is
	// a call of its own after the deal's (CI once checked between the two).
	waitFor(t, "the deal of Angela's second enquiry, associated", func() bool {
		st := fake.State()
		return len(st.Deals) == deals+1 && len(st.Deals[len(st.Deals)-1].ContactIDs) > 0
	})
	if got := fake.State().ContactsByEmail[newEmail]; len(got) != 1 || got[0].ID != angela.ID || got[0].Properties["company"] != "Edited in HubSpot" ||
		got[0].Properties["phone"] != "+4552250560" {
		t.Fatalf("after the reload made company create-only, Angela's contact is %+v", got)
	}
	if st := fake.State(); len(st.ContactsByEmail["angela7913@hotmail.com"]) != 0 || len(st.Deals[len(st.Deals)-1].ContactIDs) != 1 ||
		st.Deals[len(st.Deals)-1].ContactIDs[0] != angela.ID {
		t.Fatalf("Angela's second enquiry from her old email made a second contact, or its deal went elsewhere: %+v", st)
	}
	mustContain(t, "the daemon's log", d.log(), `"contact_id":"`+angela.ID+`"`, "no longer its contact's email in HubSpot")

	// The operator's views of the same state.
	out, err := syncdCmd("outbox", "list", "-state", "done", "-config", config).CombinedOutput()
	if err != nil || strings.Count(string(out), "\n") < 5 {
		t.Fatalf("outbox list: %v\n%s", err, out)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	// Exit 5: the daemon is stopped, and the stand-in account was not set up.
	status, err := syncdCmd("status", "-config", config).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 5 || !strings.Contains(string(status), "hubspot") {
		t.Fatalf("status: %v\n%s", err, status)
	}

	// Today's report by hand: both leads with their CRM ids, the portal failure.
	f := todaysReport(t, config, dir, "today.xlsx")
	leads, _ := f.GetRows("Leads")
	failures, _ := f.GetRows("Portal failures")
	if len(leads) != 5 || len(failures) != 2 {
		t.Fatalf("report has %d lead rows and %d failure rows (with headers), want 5 and 2", len(leads), len(failures))
	}
	if !strings.Contains(strings.Join(leads[1], "|")+strings.Join(leads[2], "|"), "Sent to HubSpot") {
		t.Fatalf("leads not shown as synced: %v", leads)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// pausedAlarm is the report's banner on an adapter paused on a rejected
// token: until when first, then what happened and the way out.
var pausedAlarm = regexp.MustCompile(`^ALARM: Until \d{4}-\d\d-\d\d \d\d:\d\d \S+: CRM adapter hubspot is paused: .*run: syncd sync -resume\b`)

// TestRejectedTokenPausesUntilResumed: a token the CRM rejects pauses the
// adapter instead of dead-lettering the leads; once the operator fixes the
// token, `syncd sync -resume` delivers them.
func TestRejectedTokenPausesUntilResumed(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	p := startPausedOnToken(t)
	fake, dir, config, d := p.fake, p.dir, p.config, p.d
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if dead := syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", config); len(dead) != 0 {
		t.Fatalf("a rejected token dead-lettered %d operations", len(dead))
	}
	// The morning report leads with the alarm.
	f := todaysReport(t, config, dir, "paused.xlsx")
	summary, _ := f.GetRows("Summary")
	// Until when it is paused comes first: after the way out it read
	// "run: syncd sync -resume. (until ...)", as if only until then.
	if len(summary) < 4 || !pausedAlarm.MatchString(strings.ReplaceAll(summary[3][0], "\n", " ")) || strings.Contains(summary[3][0], "(until") {
		t.Fatalf("report of a paused adapter starts %q", summary[:min(len(summary), 4)])
	}

	p.fixToken(t)
	out, stderr, code := syncdRun(t, "sync", "-config", config)
	if code != 5 || len(fake.State().Contacts) != 0 { // paused: a person must act
		t.Fatalf("sync while paused: exit %d, want 5; %d contacts\n%s%s", code, len(fake.State().Contacts), out, stderr)
	}
	bout, err := syncdCmd("sync", "-resume", "-config", config).CombinedOutput()
	out = string(bout)
	if err != nil || !strings.Contains(string(out), "2 done") {
		t.Fatalf("sync -resume: %v\n%s", err, out)
	}
	if s := fake.State(); len(s.Contacts) != 1 || len(s.Deals) != 1 {
		t.Fatalf("after resume: %d contacts, %d deals", len(s.Contacts), len(s.Deals))
	}
}

// TestNewTokenOnReloadResumes: a token HubSpot rejects (revoked, expired)
// pauses the daemon's adapter; the operator writes the new token into the
// configuration and reloads (SIGHUP). The daemon takes the token and the
// leads go out at once. It kept the old token until a restart ("changed
// setting needs a restart"), so a `syncd sync -resume` sent the waiting
// leads with the new token and the daemon paused again at the next lead,
// 15 minutes each time.
func TestNewTokenOnReloadResumes(t *testing.T) {
	t.Parallel()
	p := startPausedOnToken(t)
	d := p.d
	p.fixToken(t)
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"message":"reloaded"`) })
	waitForRecords(t, p.fake, d, 1, 1, "the reload with the right token")
	if strings.Contains(d.log(), "changed setting needs a restart") {
		t.Fatalf("a new HubSpot token asked for a restart:\n%s", d.log())
	}
	// Exit 5 all the same: this daemon listens on port 0, where status cannot
	// find it, and the stand-in account was not set up (crm check FAILING).
	out, err := syncdCmd("status", "-config", p.config).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 5 || strings.Contains(string(out), "PAUSED") {
		t.Fatalf("status after the reload: %v\n%s", err, out)
	}
}

// TestRestartWithNewTokenResumes: the same fix by a restart (systemctl
// restart after a new token_file): the check at start passes with the new
// token, and the leads go out at once. The pause kept in the database held
// them for the rest of its 15 minutes, while `syncd status` said
// "crm check hubspot: ok" beside "PAUSED ... authentication rejected".
func TestRestartWithNewTokenResumes(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	p := startPausedOnToken(t)
	if err := p.d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p.fixToken(t)
	if out, err := syncdCmd("crm", "setup", "-config", p.config).CombinedOutput(); err != nil {
		t.Fatalf("crm setup: %v\n%s", err, out)
	}
	d := start(t, p.config)
	waitForRecords(t, p.fake, d, 1, 1, "a restart with the right token")
}
