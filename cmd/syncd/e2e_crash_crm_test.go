package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCrashDuringSyncEveryLeadOnce posts leads to the real binary, kills
// it with SIGKILL while they are being mapped and synced, starts it again
// and checks that every lead reaches the stand-in CRM exactly once: one
// contact and one deal each, no duplicate email or lead id. Pipedrive has no
// uniqueness of its own, so it is the harder case.
func TestCrashDuringSyncEveryLeadOnce(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("real binary killed and restarted; waits for leases and Pipedrive's settle time")
	}
	for _, kind := range []string{crmfake.KindHubSpot, crmfake.KindPipedrive} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel() // each its own stand-in CRM and daemon; each waits out leases and settle times
			crashDuringSync(t, kind)
		})
	}
}

func crashDuringSync(t *testing.T, kind string) {
	leads := 400
	if kind == crmfake.KindPipedrive {
		leads = 100 // one call per record, and searches under their own limit
	}
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: kind, Token: "fake-token"})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	settle := ""
	if kind == crmfake.KindPipedrive {
		settle = ", settle_time: 10s"
	}
	crm := fmt.Sprintf("crm:\n  kind: %s\n  %s: {base_url: %s, token: fake-token, requests: 1000, window: 1s%s}\n"+
		"sync: {schedule: \"@every 1s\", prompt_delay: 50ms, lease: 20s}\n", kind, kind, fakeURL, settle)
	yaml := configYAML(dir, []string{e2eLBToken}, crm)
	yaml = strings.Replace(yaml, "mappings/hubspot", "mappings/"+kind, 1)
	os.WriteFile(config, []byte(yaml), 0o600)
	if kind == crmfake.KindPipedrive { // the fields the shipped mappings name
		if out, _, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
			t.Fatalf("crm setup: exit %d\n%s", code, out)
		}
	}

	d := start(t, config)
	// Senders post while the daemon maps and syncs; it is killed as soon as
	// the first contact is in the CRM. What was not answered 200 is posted
	// again to the restarted daemon, as senders retry.
	var mu sync.Mutex
	var unanswered []int
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Go(func() {
			for i := c; i < leads; i += 8 {
				if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, crashLead(i)); err != nil || a.Code != 200 {
					mu.Lock()
					unanswered = append(unanswered, i)
					mu.Unlock()
				}
			}
		})
	}
	waitFor(t, "the first contact in the CRM", func() bool { return len(fake.State().Contacts) > 0 })
	d.cmd.Process.Kill()
	<-d.done
	wg.Wait()
	before := fake.State()
	t.Logf("killed with %d contacts and %d deals of %d in the CRM, %d posts unanswered",
		len(before.Contacts), len(before.Deals), leads, len(unanswered))

	d = start(t, config)
	for _, i := range unanswered {
		if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, crashLead(i)); err != nil || a.Code != 200 {
			t.Fatalf("post %d again: %+v %v", i, a, err)
		}
	}
	// Operations claimed before the kill wait for their lease (20 s);
	// Pipedrive's guard holds back a create whose answer the crash lost
	// until search has caught up (settle_time), then the syncer's back-off.
	for deadline := time.Now().Add(4 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		s := fake.State()
		if len(s.Contacts) >= leads && len(s.Deals) >= leads {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 4 minutes %d contacts and %d deals of %d in the CRM", len(s.Contacts), len(s.Deals), leads)
		}
	}
	time.Sleep(time.Second) // anything sent twice would arrive by now
	s := fake.State()
	if dups := s.Duplicates(); len(dups) > 0 {
		t.Fatalf("duplicates in the CRM after the crash: %v", dups[:min(len(dups), 5)])
	}
	if len(s.Contacts) != leads || len(s.Deals) != leads {
		t.Fatalf("%d contacts and %d deals, want %d each", len(s.Contacts), len(s.Deals), leads)
	}
}

func crashLead(i int) []byte {
	return fmt.Appendf(nil, `{"event_type":"enquiry_created","payload":{"location":{"id":"%d"},"client":{"email":"lead%d@example.com","name":"Lead %d","phone":"52 25 05 59"}}}`, i, i, i)
}
