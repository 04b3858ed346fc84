package main_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"syscall"
	"testing"
)

// TestEventsListCutsALongType: a sender's event type of 10 kB (and a line
// break in it) was printed whole by syncd events list, a row of 10 kB
// pushing every column after it off the screen. The table now names it as
// the report's alarms do, quoted and cut at 40 characters with "…";
// events show and -json keep it whole.
func TestEventsListCutsALongType(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	long := strings.Repeat("listing_changed_", 640) + "\nend"
	body, _ := json.Marshal(map[string]any{"event_type": long, "payload": map[string]any{"n": 1}})
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, body); err != nil || a.Code != 200 {
		t.Fatalf("a long event type: %+v %v", a, err)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "events", "list", "-config", config)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	want := fmt.Sprintf("%q…", long[:40])
	if code != 0 || len(lines) != 2 || len(lines[1]) > 250 || !strings.Contains(lines[1], " "+want+" ") {
		t.Fatalf("events list (exit %d), want one row of at most 250 bytes naming the type %s:\n%.600s\n%s", code, want, out, stderr)
	}
	id := strings.Fields(lines[1])[0]
	var shown, listed map[string]any
	show, _, code := syncdRun(t, "events", "show", "-config", config, id)
	if err := json.Unmarshal([]byte(show), &shown); err != nil || code != 0 || shown["type"] != long {
		t.Errorf("events show %s (exit %d, %v) does not give the type whole: %.300s", id, code, err, show)
	}
	js, _, _ := syncdRun(t, "events", "list", "-json", "-config", config)
	if err := json.Unmarshal([]byte(js), &listed); err != nil || listed["type"] != long {
		t.Errorf("events list -json (%v) does not give the type whole: %.300s", err, js)
	}
}
