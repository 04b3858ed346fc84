package main_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestOutboxSaysWhenAPausedOpIsTried: with the adapter paused (a rejected
// token), outbox list and show, and outbox retry of one of them, gave the
// operations handed back by the pause a next attempt of the moment they
// were handed back, in the past, though none is tried before the pause
// ends. They show the pause's end, and say it is a pause.
func TestOutboxSaysWhenAPausedOpIsTried(t *testing.T) {
	t.Parallel()
	p := startPausedOnToken(t)
	defer p.d.stop(t, syscall.SIGTERM)
	waitFor(t, "status to show the pause", func() bool {
		out, _, _ := syncdRun(t, "status", "-config", p.config)
		return strings.Contains(out, "hubspot: PAUSED until")
	})
	out, errOut, code := syncdRun(t, "outbox", "list", "-state", "pending", "-json", "-config", p.config)
	if code != 0 {
		t.Fatalf("outbox list -json: exit %d\n%s", code, errOut)
	}
	var ids []int64
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var op struct {
			ID          int64  `json:"id"`
			NextAttempt string `json:"next_attempt_at"`
			PausedUntil string `json:"paused_until"`
		}
		if err := json.Unmarshal([]byte(line), &op); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		ids = append(ids, op.ID)
		next, err := time.Parse(time.RFC3339, op.NextAttempt)
		if err != nil || !next.After(time.Now()) || op.PausedUntil != op.NextAttempt {
			t.Errorf("a pending operation while the adapter is paused: next attempt %q, paused until %q; want both the pause's end", op.NextAttempt, op.PausedUntil)
		}
	}
	if len(ids) == 0 {
		t.Fatalf("no pending operation:\n%s", out)
	}
	table, _, _ := syncdRun(t, "outbox", "list", "-state", "pending", "-config", p.config)
	mustContain(t, "outbox list", table, "(paused)")
	show, _, _ := syncdRun(t, "outbox", "show", "-config", p.config, strconv.FormatInt(ids[0], 10))
	mustContain(t, "outbox show", show, "(the adapter is paused until then: syncd status)")
	_, retry, _ := syncdRun(t, "outbox", "retry", "-config", p.config, strconv.FormatInt(ids[0], 10))
	mustContain(t, "outbox retry of a pending operation", retry, ", the adapter paused until then; see syncd status)")
}
