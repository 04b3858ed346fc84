package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestRetryPastTheDedupWindowIsTheSameDealInTheCRM: Lokalebasen retries a
// delivery it was not answered 2xx for up to 20 times with an exponential
// back-off whose intervals it does not give, and its bodies carry no id.
// A retry within intake.dedup_window is a duplicate; one later, as
// docs/intake.md says, is a second event, but of the same lead in the CRM:
// the body's canonical hash is its lead id, so its deal is the one the CRM
// already holds (its operations are those already done), not a second one. Posted to the real daemon with a window
// of 2 s, the printed example, answered, then retried past it (as a
// sender re-encoding it might: its slashes escaped), is one contact and
// one deal in the HubSpot stand-in, every operation done.
func TestRetryPastTheDedupWindowIsTheSameDealInTheCRM(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(crmConfig(dir, url, e2eLBToken)+"intake:\n  dedup_window: 2s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	body, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	hook := d.url + "/hooks/lokalebasen/" + e2eLBToken
	first, err := post(hook, body)
	if err != nil || first.Status != "accepted" {
		t.Fatalf("post: %+v %v", first, err)
	}
	if again, err := post(hook, body); err != nil || again.Status != "duplicate" || again.ID != first.ID {
		t.Fatalf("the retry within the window: %+v %v; want a duplicate of event %s", again, err, first.ID)
	}
	allDone := func() bool {
		ops := syncdJSON(t, "outbox", "list", "-config", config, "-json")
		for _, op := range ops {
			if op["state"] != "done" {
				return false
			}
		}
		return len(ops) > 0
	}
	waitFor(t, "the lead's contact and deal in the CRM", func() bool {
		s := fake.State()
		return len(s.Contacts) == 1 && len(s.Deals) == 1 && allDone()
	})
	time.Sleep(3 * time.Second) // past intake.dedup_window
	late, err := post(hook, []byte(escapeSlashes(string(body))))
	if err != nil || late.Code != 200 || late.Status != "accepted" || late.ID == first.ID {
		t.Fatalf("the retry past the window: %+v %v; want a new event, accepted", late, err)
	}
	waitFor(t, "the late retry mapped and every operation done", func() bool {
		for _, ev := range syncdJSON(t, "events", "list", "-config", config, "-json") {
			if fmt.Sprint(ev["id"]) == late.ID {
				return ev["map_state"] == "mapped" && allDone()
			}
		}
		return false
	})
	s := fake.State()
	if len(s.Contacts) != 1 || len(s.Deals) != 1 || len(s.Duplicates()) > 0 {
		t.Errorf("after a retry past the window: %d contacts, %d deals, duplicates %v; want the one lead's contact and deal",
			len(s.Contacts), len(s.Deals), s.Duplicates())
	}
}

// escapeSlashes writes every "/" in a JSON text as "\/", as PHP's
// json_encode does: the same document.
func escapeSlashes(s string) string {
	out := make([]byte, 0, len(s)+16)
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(out)
}
