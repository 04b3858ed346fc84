package main_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
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
	mustContain(t, "outbox retry of a pending operation", retry, " (paused)", "see syncd status)") // a deal: and after its contact
}

// TestOutboxSaysWhenAnOpIsTriedInAnOutage: with the CRM answering 503 to
// every call, the syncer tries nothing until its cool-down ends, but
// outbox list gave the lead's operations a NEXT ATTEMPT in the past, as if
// they were being sent. They show the cool-down's end and the outage.
func TestOutboxSaysWhenAnOpIsTriedInAnOutage(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfig(t, t.TempDir(), url)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the syncer to cool down", func() bool { return strings.Contains(d.log(), "crm call failed as a whole, cooling down") })
	out, errOut, code := syncdRun(t, "outbox", "list", "-state", "pending", "-json", "-config", config)
	if code != 0 {
		t.Fatalf("outbox list -json: exit %d\n%s", code, errOut)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var op struct {
			NextAttempt  string `json:"next_attempt_at"`
			FailingSince string `json:"crm_failing_since"`
		}
		if err := json.Unmarshal([]byte(line), &op); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		next, err := time.Parse(time.RFC3339, op.NextAttempt)
		if err != nil || !next.After(time.Now()) || op.FailingSince == "" {
			t.Errorf("a pending operation in an outage: next attempt %q, crm failing since %q; want the cool-down's end and the outage's start\n%s",
				op.NextAttempt, op.FailingSince, d.log())
		}
	}
	table, _, _ := syncdRun(t, "outbox", "list", "-state", "pending", "-config", config)
	mustContain(t, "outbox list", table, "(CRM failing)")
}
