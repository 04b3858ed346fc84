package main_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestLostCreateAnswerSurvivesARestart: Pipedrive applies a person's
// create but its answer is lost, and syncd is restarted before the person
// shows in Pipedrive's search (here 60 s behind). The create's intent must
// be on disk for the next start to wait settle_time and find the person in
// Pipedrive's lists. The daemon kept its intents in memory only (the store
// it passed the adapter hid the intents methods), so after the restart it
// searched, found nothing and created the person a second time.
func TestLostCreateAnswerSurvivesARestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake, config := lostCreateAnswer(t, dir)
	if n := len(fake.State().Contacts); n != 1 {
		t.Fatalf("%d persons before the restart, want the one whose answer was lost", n)
	}

	d := start(t, config)
	deadline := time.Now().Add(2 * time.Minute) // settle_time, then the syncer's back-off
	for s := fake.State(); len(s.Deals) == 0 && len(s.Contacts) < 2 && time.Now().Before(deadline); s = fake.State() {
		time.Sleep(100 * time.Millisecond)
	}
	if s := fake.State(); len(s.Contacts) != 1 || len(s.Deals) != 1 {
		t.Fatalf("after the restart: %d persons, %d deals, want 1 and 1\n%s", len(s.Contacts), len(s.Deals), d.log())
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// lostCreateAnswer runs a daemon on a stand-in Pipedrive (settle_time
// 5 s), posts one lead, has Pipedrive apply its person's create and lose the
// answer, and stops the daemon (SIGTERM), which leaves the create's intent.
func lostCreateAnswer(t *testing.T, dir string) (*crmfake.Server, string) {
	t.Helper()
	fake, config := setUpLaggingPipedrive(t, dir, 5*time.Second)
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/persons", Action: crmfake.ActApplyThenDrop, Uses: 1})
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	// Fired counts the fault as it matches, before the create is applied.
	waitFor(t, "the create's answer to be lost", func() bool {
		return fake.Faults()[0].Fired == 1 && len(fake.State().Contacts) == 1
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	return fake, config
}
