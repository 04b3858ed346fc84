package main_test

import (
	"syscall"
	"testing"
	"time"
)

// TestBeforeTakesTheTimeEventsListShows: `syncd events dismiss -before T`
// (and -since, events done -before, replay -since) refused the time events
// list prints ("2026-12-04 16:58:20 +01:00"), an operator's first copy, and
// one without its offset, saying "is not a time, date or duration" and not
// what is; 1d and -24h were refused alike. Now the shown time and one
// without its offset (in report.time_zone) are read, and a refusal says
// which forms are, what 1d is in hours, and that a duration counts back.
func TestBeforeTakesTheTimeEventsListShows(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, d := startListening(t, t.TempDir(), "")
	defer d.stop(t, syscall.SIGTERM)
	mustQuarantine(t, d.url+"/hooks/eaf/"+e2eEAFToken, "GET / HTTP/1.1\r\nHost: scanner\r\n\r\n")
	q := syncdJSON(t, "events", "list", "-quarantined", "-json", "-config", config)
	if len(q) != 1 {
		t.Fatalf("events list -quarantined -json: %v; want the one body", q)
	}
	received, err := time.Parse(time.RFC3339, q[0]["received_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	later := received.Add(time.Second)
	for _, before := range []string{later.Format("2006-01-02 15:04:05 -07:00"), later.Format("2006-01-02 15:04:05"),
		later.Add(time.Minute).Format("2006-01-02T15:04")} {
		out, errOut, code := syncdRun(t, "events", "dismiss", "-dry-run", "-before", before, "-config", config)
		if code != 0 {
			t.Errorf("events dismiss -dry-run -before %q: exit %d, want 0\n%s%s", before, code, out, errOut)
			continue
		}
		mustContain(t, "events dismiss -dry-run -before "+before, out, "would dismiss 1 quarantined body", "to dismiss it")
	}
	for before, want := range map[string]string{"1d": "1d is 24h", "-24h": "give it without its sign (24h)",
		"2026-13-01": "a date (2026-11-01"} {
		out, errOut, code := syncdRun(t, "events", "dismiss", "-dry-run", "-before", before, "-config", config)
		if code != 2 {
			t.Errorf("events dismiss -dry-run -before %q: exit %d, want 2\n%s%s", before, code, out, errOut)
		}
		mustContain(t, "events dismiss -before "+before, errOut, want)
	}
}
