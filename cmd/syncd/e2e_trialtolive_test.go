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

// The day an agency moves from trying syncd on the dry run (crm.kind
// dryrun, the example configuration's) to its CRM: the dry run answered
// each lead done, so none of the trial's waits for the CRM, and nothing
// said so: the start log and syncd status named only the CRM, and the
// trial's leads were silently in no CRM. Now both say how many went only
// to the dry run, since when, and the replay that sends them.

// dryRunConfig writes the dry-run configuration of dir (its database the
// one the CRM's configuration there uses) listening on addr, syncing
// every second, into dir/dryrun.yaml and returns the path.
func dryRunConfig(t *testing.T, dir, addr string) string {
	t.Helper()
	file := filepath.Join(dir, "dryrun.yaml")
	yaml := configYAML(dir, []string{e2eLBToken}, "sync:\n  schedule: \"@every 1s\"\n  prompt_delay: 100ms\n")
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	listenOn(t, file, addr)
	return file
}

// onlyDryRun posts to a daemon on the dry run config the EAF leads
// numbered leads (postEAFLeadOf), waits until the dry run has done the
// deals of total leads, and stops it.
func onlyDryRun(t *testing.T, config string, total int, leads ...string) {
	t.Helper()
	d := start(t, config)
	for _, n := range leads {
		postEAFLeadOf(t, d, n)
	}
	dryRunDone(t, config, total)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// dryRunDone waits until the dry run has done the deals of n leads, and
// nothing is pending.
func dryRunDone(t *testing.T, config string, n int) {
	t.Helper()
	waitFor(t, "the dry run's operations done", func() bool {
		deals := 0
		for _, op := range syncdJSON(t, "outbox", "list", "-config", config, "-state", "done", "-json") {
			if op["target"] == "dryrun" && op["kind"] == "deal" {
				deals++
			}
		}
		return deals >= n && len(syncdJSON(t, "outbox", "list", "-config", config, "-state", "pending", "-json")) == 0
	})
}

// postEAFLeadOf posts testdata's EAF email lead as lead n: another lead
// of the same person.
func postEAFLeadOf(t *testing.T, d *daemon, n string) {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.NewReplacer("77722226661727188822717", "777222266617271888227"+n,
		"01922rat12i23ug145162j27817220918", "01922rat12i23ug145162j278172209"+n).Replace(string(raw))
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Code != 200 {
		t.Fatalf("post lead %s: %+v %v", n, a, err)
	}
}

// TestDryRunLeadsAreNamedOnceACRMIsSet: a trial on the dry run takes two
// leads of one person; the operator sets crm.kind to the CRM. The start
// log and status name the 2 leads as in no CRM, with the replay that
// sends them; the CRM got nothing of the dry run's (no "dry-" id). A lead
// of the same person after the switch makes the contact; the replay adds
// the trial's deals to that contact, once. The person's export named the
// dry run's made-up ids as records in the CRM linked to them, and its
// operations as sent with those CRM ids: it names the CRM's alone. A later "pause" on the dry run
// and back leaves the CRM's ids: the pause's lead is named the same way
// and the replay sends only it.
func TestDryRunLeadsAreNamedOnceACRMIsSet(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{crmfake.KindHubSpot, crmfake.KindPipedrive} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			notInShort(t, longUnderRace)
			dir, addr := t.TempDir(), freeAddr(t)
			dry := dryRunConfig(t, dir, addr)
			var fake *crmfake.Server
			var live string
			if kind == crmfake.KindHubSpot {
				var url string
				fake, url = startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
				live = writeCRMConfigOnPort(t, dir, url, true)
			} else {
				fake, _, live = setUpPipedrive(t, dir)
			}
			listenOn(t, live, addr)

			d := start(t, dry)
			postEAFLeadOf(t, d, "01")
			postEAFLeadOf(t, d, "02")
			dryRunDone(t, dry, 2)
			out, stderr, code := syncdRun(t, "status", "-config", dry)
			if code != 0 || !strings.Contains(out, "crm.kind dryrun, a dry run: nothing goes to a CRM") {
				t.Fatalf("status on the dry run: exit %d\n%s%s\nwant exit 0 saying nothing goes to a CRM", code, out, stderr)
			}
			if err := d.stop(t, syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}

			d = start(t, live)
			defer func() { d.stop(t, syscall.SIGTERM) }()
			said := "2 leads went only to the dry run"
			if !strings.Contains(d.log(), said) || !strings.Contains(d.log(), "not in "+kind) {
				t.Fatalf("the daemon's start on %s does not say %q:\n%s", kind, said, d.log())
			}
			out, stderr, code = syncdRun(t, "status", "-config", live)
			since := regexp.MustCompile(`syncd replay -since (\S+) sends them to ` + kind).FindStringSubmatch(out)
			if code != 0 || !strings.Contains(out, said) || since == nil {
				t.Fatalf("status on %s after the trial: exit %d\n%s%s\nwant exit 0, %q and the replay", kind, code, out, stderr, said)
			}
			if s := fake.State(); len(s.Contacts)+len(s.Deals) != 0 {
				t.Fatalf("%s holds %d contacts and %d deals of the trial unreplayed", kind, len(s.Contacts), len(s.Deals))
			}

			postEAFLeadOf(t, d, "03") // the same person, after the switch
			waitForRecords(t, fake, d, 1, 1, "a lead after the switch")
			if out, stderr, code := syncdRun(t, "replay", "-config", live, "-since", since[1]); code != 0 {
				t.Fatalf("replay -since %s: exit %d\n%s%s", since[1], code, out, stderr)
			}
			waitForRecords(t, fake, d, 1, 3, "the replay of the trial")
			waitFor(t, "status without the dry run's leads", func() bool {
				out, _, code := syncdRun(t, "status", "-config", live)
				return code == 0 && !strings.Contains(out, "only to the dry run")
			})
			contact := fake.State().Contacts[0].ID
			// The person's export names the CRM's records, none of the dry run's ids.
			out, stderr, code = syncdRun(t, "export", "-config", live, "-email", "support@estateagentfeeds.com", "-format", "text")
			if code != 0 || strings.Contains(out, "dry-") || !strings.Contains(out, "Records in the CRM linked to you: 4") {
				t.Errorf("export: exit %d\n%s%s\nwant the 4 records in %s linked, and no dry run id", code, out, stderr, kind)
			}

			// A "pause" on the dry run, and back.
			if err := d.stop(t, syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			onlyDryRun(t, dry, 3, "04")
			d = start(t, live)
			if !strings.Contains(d.log(), "1 lead went only to the dry run") {
				t.Fatalf("the daemon's start after the pause does not name its lead:\n%s", d.log())
			}
			if out, stderr, code := syncdRun(t, "replay", "-config", live, "-since", since[1]); code != 0 {
				t.Fatalf("replay after the pause: exit %d\n%s%s", code, out, stderr)
			}
			waitForRecords(t, fake, d, 1, 4, "the replay of the pause")
			// HubSpot's deals are associated with their contact by a call after
			// the one that creates them: wait for it too.
			waitFor(t, "the replayed deals associated with their contact", func() bool {
				for _, deal := range fake.State().Deals {
					if len(deal.ContactIDs) == 0 {
						return false
					}
				}
				return true
			})
			s := fake.State()
			if dup := s.Duplicates(); len(dup) > 0 || s.Contacts[0].ID != contact {
				t.Fatalf("%s after the pause: duplicates %v, contact %s (was %s)", kind, dup, s.Contacts[0].ID, contact)
			}
			for _, deal := range s.Deals {
				if len(deal.ContactIDs) != 1 || deal.ContactIDs[0] != contact {
					t.Errorf("deal %s (lead %s) has contacts %v, want the one contact %s", deal.ID, deal.LeadID, deal.ContactIDs, contact)
				}
			}
			for _, r := range fake.Requests() {
				if strings.Contains(r.Path+r.Query+r.Body, "dry-") {
					t.Errorf("a dry run id went to %s: %s %s %s", kind, r.Method, r.Path, r.Body)
				}
			}
		})
	}
}

// TestPauseOnTheDryRunAdvisesTheCRMBack: an operator "pauses" HubSpot,
// down for maintenance, by setting crm.kind to dryrun while a lead waits
// for it. Status (exit 5) and the start log advised `syncd outbox drop
// -crm hubspot -remap`, which "sends their leads to dryrun instead": to
// no CRM. They advise setting crm.kind back, which sends the lead once.
func TestPauseOnTheDryRunAdvisesTheCRMBack(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir, addr := t.TempDir(), freeAddr(t)
	hub := leftForHubSpot(t, dir, addr, "")
	dry := dryRunConfig(t, dir, addr)
	d := start(t, dry)
	const back = "crm.kind hubspot again (and a restart) sends them, once"
	out, stderr, code := syncdRun(t, "status", "-config", dry)
	if code != 5 || !strings.Contains(out, back) || strings.Contains(out, "to dryrun instead") {
		t.Fatalf("status on the dry run with a lead waiting for hubspot: exit %d\n%s%s\nwant exit 5 and %q", code, out, stderr, back)
	}
	if !strings.Contains(d.log(), back) {
		t.Errorf("the daemon's start does not advise %q:\n%s", back, d.log())
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot})
	if err := os.WriteFile(hub, []byte(crmConfig(dir, url, e2eLBToken)), 0o600); err != nil {
		t.Fatal(err)
	}
	listenOn(t, hub, addr)
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", hub); code != 0 {
		t.Fatalf("setup: exit %d\n%s%s", code, out, stderr)
	}
	d = start(t, hub)
	defer d.stop(t, syscall.SIGTERM)
	waitForRecords(t, fake, d, 1, 1, "crm.kind hubspot again")
	waitFor(t, "status clean once the lead is sent", func() bool {
		out, _, code := syncdRun(t, "status", "-config", hub)
		return code == 0 && !strings.Contains(out, "NOT SENT")
	})
}
