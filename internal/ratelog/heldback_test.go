package ratelog

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/syncd-dev/syncd/internal/logtest"
)

// TestLinesHeldBackAreCountedWhenNoneFollows: eight failures of one kind
// within the interval, then none: the log showed the first alone, and the
// seven held back were never counted. At the interval's end the last of
// them is logged with "repeated": 7, and another kind logged meanwhile
// keeps its own line.
func TestLinesHeldBackAreCountedWhenNoneFollows(t *testing.T) {
	var log logtest.Buffer
	l := New(zerolog.New(&log), 300*time.Millisecond, nil)
	start := time.Now()
	for i := 1; i <= 8; i++ {
		l.Error("store", fmt.Errorf("disk full %d", i), "store delivery", nil)
	}
	l.Error("other", errors.New("x"), "other", nil)
	if n := len(log.Lines(t)); n != 2 {
		t.Fatalf("%d lines at once, want 2: %v", n, log.Lines(t))
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(log.Lines(t)) < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	lines := log.Lines(t)
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3 (the count of those held back): %v", len(lines), lines)
	}
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Errorf("the count came %s after the first line, before its interval ended", took)
	}
	last := lines[2]
	if last["message"] != "store delivery" || last["repeated"] != float64(7) || last["error"] != "disk full 8" || last["last_at"] == nil {
		t.Errorf("count line: %v", last)
	}
	time.Sleep(400 * time.Millisecond) // no line again: nothing more was held back
	if n := len(log.Lines(t)); n != 3 {
		t.Errorf("%d lines, want 3: %v", n, log.Lines(t))
	}
}

// TestCloseWritesTheCountsHeldBack: a daemon stopping within the interval
// lost the count; Close writes it.
func TestCloseWritesTheCountsHeldBack(t *testing.T) {
	var log logtest.Buffer
	l := New(zerolog.New(&log), time.Hour, nil)
	for range 3 {
		l.Log(zerolog.WarnLevel, "http", nil, "http server", func(e *zerolog.Event) { e.Str("error", "Accept error") })
	}
	l.Close()
	lines := log.Lines(t)
	if len(lines) != 2 || lines[1]["repeated"] != float64(2) || lines[1]["error"] != "Accept error" || lines[1]["level"] != "warn" {
		t.Fatalf("lines: %v", lines)
	}
}

// TestDiscardDropsTheCountsHeldBack: the mapping worker's "working again"
// line counts the failed passes itself; the count of those held back must
// not come after it as one more failure.
func TestDiscardDropsTheCountsHeldBack(t *testing.T) {
	var log logtest.Buffer
	l := New(zerolog.New(&log), 50*time.Millisecond, nil)
	l.Error("map", errors.New("db down"), "map events", nil)
	l.Error("map", errors.New("db down"), "map events", nil)
	l.Discard()
	time.Sleep(200 * time.Millisecond)
	if lines := log.Lines(t); len(lines) != 1 {
		t.Fatalf("lines: %v", lines)
	}
}
