package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestHostClockBehindPipedrivesMakesNoSecondPerson runs the real binary
// on a host whose clock is an hour behind Pipedrive's (the stand-in's
// clock set an hour ahead: its add_time and its answers' Date). A
// person's create applied, its answer lost, was looked for in the recent
// list (a person made before in it) before the list showed it; the list's lag, read against add_time
// by Pipedrive's clock, came out an hour negative, so the list without
// the person was taken for proof that it was never made: the lead's
// person was made a second time, its deal on the copy.
func TestHostClockBehindPipedrivesMakesNoSecondPerson(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	ahead := func() time.Time { return time.Now().Add(time.Hour) }
	// Search and lists lag longer than the syncer's back-off after the
	// lost answer (sync's 30 s retry base), so the lead is looked for
	// before Pipedrive shows it; a person of the account's, made before,
	// is listed, as in any account in use.
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", StrictSchema: true,
		Now: ahead, SearchLag: time.Minute, ListLag: time.Minute})
	fake.AddContact(crmfake.Record{Email: "earlier@example.com", Properties: map[string]string{"name": "Earlier Client"}})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(pipedriveConfig(dir, url), "token: fake-pipedrive-token",
		"token: fake-pipedrive-token\n    settle_time: 2s", 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s%s", code, out, stderr)
	}
	d := start(t, config)
	db := filepath.Join(dir, "data", "syncd.db")
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/persons", Action: crmfake.ActApplyThenDrop, Uses: 1})
	postLead(t, d, gapLead(1, "lead1@example.com", "Lead En"))
	waitOutboxDone(t, d, db, 2)
	s := fake.State()
	if dups := s.Duplicates(); len(dups) > 0 {
		t.Fatalf("duplicates in Pipedrive: %v\n%s", dups, d.log())
	}
	if len(s.Contacts) != 2 || len(s.Deals) != 1 {
		t.Fatalf("%d persons and %d deals in Pipedrive, want 2 (the earlier client's, the lead's) and 1\n%s", len(s.Contacts), len(s.Deals), d.log())
	}
	if crmfakeFired(fake) == 0 {
		t.Fatal("the create's answer was not lost")
	}
}

// crmfakeFired is how often the stand-in's faults fired.
func crmfakeFired(fake *crmfake.Server) int {
	n := 0
	for _, f := range fake.Faults() {
		n += f.Fired
	}
	return n
}

// TestCRMCheckSaysTheHostsClockIsOff: syncd crm check against a CRM whose
// clock is an hour off this host's (the stand-in's, as a host whose
// hardware clock is kept in local time sees HubSpot's or Pipedrive's)
// said nothing of it, though the report's day and hour, the schedules
// and every time syncd shows follow the host's clock. It warns, naming
// which way and how far and how to set the clock, and passes (exit 0).
func TestCRMCheckSaysTheHostsClockIsOff(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		kind  string
		ahead time.Duration
		want  string
	}{
		{crmfake.KindHubSpot, time.Hour, "this host's clock is 1 hour behind HubSpot's (the Date of its answers)"},
		{crmfake.KindPipedrive, -time.Hour, "this host's clock is 1 hour ahead of Pipedrive's (the Date of its answers)"},
	} {
		t.Run(c.kind, func(t *testing.T) {
			t.Parallel()
			off := c.ahead
			now := func() time.Time { return time.Now().Add(off) }
			dir := t.TempDir()
			var config string
			if c.kind == crmfake.KindHubSpot {
				_, url := startFakeCRM(t, crmfake.Options{Kind: c.kind, Token: "fake-private-app-token", StrictSchema: true, Now: now})
				config = writeCRMConfig(t, dir, url)
			} else {
				_, url := startFakeCRM(t, crmfake.Options{Kind: c.kind, Token: "fake-pipedrive-token", StrictSchema: true, Now: now})
				config = filepath.Join(dir, "syncd.yaml")
				if err := os.WriteFile(config, []byte(pipedriveConfig(dir, url)), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
				t.Fatalf("crm setup: exit %d\n%s%s", code, out, stderr)
			}
			out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
			t.Logf("syncd crm check, exit %d:\n%s%s", code, out, stderr)
			if !strings.Contains(out, c.want) || !strings.Contains(out, "set this host's clock right (timedatectl status; timedatectl set-ntp true)") {
				t.Errorf("crm check does not say %q and how to set the clock", c.want)
			}
			if code != 0 {
				t.Errorf("exit %d, want 0: a warning", code)
			}
		})
	}
}
