package main_test

import (
	"fmt"
	"syscall"
	"testing"
)

// TestIDOfTheOtherKindIsNamed: events and quarantined bodies are numbered
// apart. An event's id given to events repair or dismiss, or a quarantined
// body's to events show or done, was answered "quarantined body 2 not
// found" ("event 3 not found") alone, exit 3. It still is, exit 3, and says
// what the id is and the command that shows it; an id of neither says
// which command lists the ids.
func TestIDOfTheOtherKindIsNamed(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, d := startListening(t, t.TempDir(), "")
	defer d.stop(t, syscall.SIGTERM)
	url := d.url + "/hooks/eaf/" + e2eEAFToken
	post3 := func(ids ...string) (last string) {
		for _, id := range ids {
			a, err := post(url, []byte(`{"eaf_type":"email_lead","eaf_id":"`+id+`","contact_email":"ann@example.com"}`))
			if err != nil || a.Status != "accepted" {
				t.Fatalf("lead %s: %+v, %v", id, a, err)
			}
			last = a.ID
		}
		return last
	}
	event := post3("880101", "880102", "880103")
	mustQuarantine(t, url, "GET / HTTP/1.1\r\n\r\n") // body 1
	run := func(args []string, want ...string) {
		t.Helper()
		out, errOut, code := syncdRun(t, append(args, "-config", config)...)
		if code != 3 {
			t.Errorf("syncd %v: exit %d, want 3\n%s%s", args, code, out, errOut)
		}
		mustContain(t, fmt.Sprint(args), errOut, want...)
	}
	run([]string{"events", "repair", event}, "quarantined body 3 not found", "3 is an event's id (syncd events show 3)")
	run([]string{"events", "dismiss", event}, "3 is an event's id", "syncd events list -quarantined")
	var body string
	for i := 0; i < 4; i++ {
		body = mustQuarantine(t, url, fmt.Sprintf("GET /%d HTTP/1.1\r\n\r\n", i))
	}
	if event != "3" || body != "5" {
		t.Fatalf("event %s, quarantined body %s: want 3 and 5", event, body)
	}
	run([]string{"events", "show", body}, "event 5 not found", "5 is a quarantined body's id (syncd events show -quarantined 5)")
	run([]string{"events", "done", body}, "5 is a quarantined body's id")
	run([]string{"events", "show", "-quarantined", "99"}, "quarantined body 99 not found", "syncd events list -quarantined lists")
}
