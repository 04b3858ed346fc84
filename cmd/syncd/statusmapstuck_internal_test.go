package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/metrics"
)

// TestStatusTellsAStuckMappingWorker: a mapping worker whose every pass
// failed (one lead the database refused failed its batch for ever) left
// every lead received after it unmapped, while syncd status said all was
// well and exited 0. The daemon's metric says since when it is stuck;
// status prints it and exits 5 (needs attention), the systemd status line
// calls it for attention, and both clear once a pass works.
func TestStatusTellsAStuckMappingWorker(t *testing.T) {
	t.Parallel()
	m := metrics.New("1.4.0")
	m.Now = func() time.Time { return t0 }
	if err := m.WatchOutbox(func(context.Context) ([]metrics.OutboxDepth, error) {
		return []metrics.OutboxDepth{{Target: "hubspot", Done: 3}}, nil
	}, 0); err != nil {
		t.Fatal(err)
	}
	m.SetPaused("hubspot", false)
	m.DaemonStarted("/var/lib/syncd/syncd.db", 4242, t0.Add(-time.Hour))
	clk := clock{loc: time.UTC}
	l := &statusLine{}
	l.servingOn("127.0.0.1:8080")

	since := t0.Add(-7 * time.Minute)
	m.MappingStuck(since)
	l.mappingStuck(since, clk)
	s := snapshotOver(t, m)
	var out bytes.Buffer
	writeStatus(&out, clk, s)
	if !strings.Contains(out.String(), "mapping       STUCK since 2025-01-02 08:12:03 +00:00 (7m ago): every pass fails, so leads received since wait unmapped") {
		t.Errorf("status of a stuck mapping worker:\n%s", out.String())
	}
	if !s.needsAttention() {
		t.Error("a stuck mapping worker needs no attention")
	}
	if want := "ATTENTION: MAPPING STUCK since " + clk.show(since) + ", leads wait unmapped: syncd status (serving on 127.0.0.1:8080)"; l.sent != want {
		t.Errorf("status line:\n got %q\nwant %q", l.sent, want)
	}

	m.MappingStuck(time.Time{})
	l.mappingStuck(time.Time{}, clk)
	s = snapshotOver(t, m)
	out.Reset()
	writeStatus(&out, clk, s)
	if strings.Contains(out.String(), "mapping") || s.needsAttention() {
		t.Errorf("status once mapping works again (attention %v):\n%s", s.needsAttention(), out.String())
	}
	if l.sent != "serving on 127.0.0.1:8080" {
		t.Errorf("status line once mapping works again: %q", l.sent)
	}
}
