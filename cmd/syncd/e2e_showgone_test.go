package main_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestShowOfABodyGoneExitsAlikeInEveryForm: events show -quarantined of a
// body erased by syncd erase said so and exited 3, but -json of it exited
// 0 with "body": "" and nothing saying the body was erased, or by which
// erasure; -body of a dismissed body exited 1, "it failed", though nothing
// failed. Now -json of an erased body exits 3 as the text does, saying in
// body_gone what the heading says, with the erasure's audit subject in
// erasure_subject; of a dismissed one it exits 0, as the text does, with
// body_gone; and -body of either, having no body to print, exits 3. events
// list -quarantined -json had no body_gone: it says what show says, and
// names the erasure as show does.
func TestShowOfABodyGoneExitsAlikeInEveryForm(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, d := startListening(t, t.TempDir(), "")
	defer d.stop(t, syscall.SIGTERM)
	erased := mustQuarantine(t, d.url+"/hooks/eaf/"+e2eEAFToken, `{"eaf_type":"email_lead","eaf_id":"880301","contact_email":"ann@example.com"`)
	dismissed := mustQuarantine(t, d.url+"/hooks/eaf/"+e2eEAFToken, `{"eaf_type":"email_lead","eaf_id":"880302"`)
	out := syncdOK(t, "erase", "-config", config, "-email", "ann@example.com")
	subject := regexp.MustCompile(`(?m)^audit: subject ([0-9a-f]{64}) at `).FindStringSubmatch(out)
	if subject == nil {
		t.Fatalf("erase names no audit subject:\n%s", out)
	}
	syncdOK(t, "events", "dismiss", "-config", config, dismissed)

	shown := map[string]map[string]any{} // show -json's record, by id
	for _, c := range []struct {
		id, says, subject string
		text, json, body  int
	}{
		{erased, "erased by syncd erase at ", subject[1], 3, 3, 3},
		{dismissed, "dismissed by syncd events dismiss at ", "", 0, 0, 3},
	} {
		out, errOut, code := syncdRun(t, "events", "show", "-quarantined", "-config", config, c.id)
		if code != c.text || !strings.Contains(out, c.says) {
			t.Errorf("events show -quarantined %s: exit %d, want %d saying %q\n%s%s", c.id, code, c.text, c.says, out, errOut)
		}
		heading := out
		out, errOut, code = syncdRun(t, "events", "show", "-quarantined", "-json", "-config", config, c.id)
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil || code != c.json {
			t.Errorf("events show -quarantined -json %s: exit %d (want %d), %v\n%s%s", c.id, code, c.json, err, out, errOut)
			continue
		}
		shown[c.id] = got
		gone, _ := got["body_gone"].(string)
		if !strings.HasPrefix(gone, c.says) || !strings.Contains(heading, gone) || !strings.Contains(errOut, gone) {
			t.Errorf("events show -quarantined -json %s: body_gone %q, want what the heading says (%q) and stderr (%q)", c.id, gone, heading, errOut)
		}
		if s, _ := got["erasure_subject"].(string); s != c.subject {
			t.Errorf("events show -quarantined -json %s: erasure_subject %q, want %q (as erase printed it)", c.id, s, c.subject)
		}
		out, errOut, code = syncdRun(t, "events", "show", "-quarantined", "-body", "-config", config, c.id)
		if code != c.body || out != "" || !strings.Contains(errOut, "exit 3: the body is no longer held") {
			t.Errorf("events show -quarantined -body %s: exit %d, want %d, nothing on stdout and why on stderr\n%s%s", c.id, code, c.body, out, errOut)
		}
	}
	listed := syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)
	if len(listed) != 2 {
		t.Fatalf("events list -quarantined -json: %d bodies, want 2: %v", len(listed), listed)
	}
	for _, got := range listed {
		id := fmt.Sprint(got["id"])
		want := shown[id]
		for _, k := range []string{"body_gone", "erasure_subject"} {
			if got[k] != want[k] {
				t.Errorf("events list -quarantined -json, body %s: %s %v, want %v as events show -quarantined -json says", id, k, got[k], want[k])
			}
		}
		if want["body_gone"] == nil {
			t.Errorf("events show -quarantined -json of body %s: no body_gone to compare with", id)
		}
	}
}
