package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/metrics"
)

// TestStatusSaysWhichRejectionsLoseLeads: status said only "8 rejected",
// the same for a sender refused at every retry (a wrong URL or token, an
// address not allowed, a body too large: its leads lost once it gives up)
// as for a body cut short, which its retry brings. It now names, under the
// events line, the refusals no retry ends, by kind, and where to read which
// source and the fix; with none of them, no such line.
func TestStatusSaysWhichRejectionsLoseLeads(t *testing.T) {
	t.Parallel()
	m := metrics.New("1.4.0")
	m.Now = func() time.Time { return t0 }
	for reason, n := range map[string]int{"bad_path": 2, "unknown_source": 1, "bad_token": 2, "too_large": 1, "read_error": 3, "store_unavailable": 4} {
		for range n {
			m.Rejected("eaf", reason)
		}
	}
	var b bytes.Buffer
	if err := writeStatus(&b, cph, snapshotOver(t, m)); err != nil {
		t.Fatal(err)
	}
	want := "events        13 received since start: 0 accepted, 0 duplicate, 0 quarantined, 13 rejected\n" +
		"                of those rejected, refused at every retry until corrected (the sender then gives up, its lead lost): " +
		"3 to a wrong URL (404), 2 with a wrong token or password (401), 1 over http.max_body_bytes (413); " +
		"the log's \"delivery rejected\" lines name the source and the fix\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("got\n%s\nwant it to hold\n%s", b.String(), want)
	}

	m = metrics.New("1.4.0")
	m.Now = func() time.Time { return t0 }
	m.Rejected("eaf", "read_error")
	b.Reset()
	if err := writeStatus(&b, cph, snapshotOver(t, m)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "of those rejected, refused") {
		t.Errorf("a body cut short, which its retry brings, is told as lost:\n%s", b.String())
	}
}
