package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/metrics"
)

// TestStatusSaysWhenAFailedCheckRunsAgain: the daemon's account check found
// the HubSpot properties missing; the operator ran syncd crm setup, and
// syncd crm check said ok. Status still said "crm check hubspot: FAILING,
// 11 problem(s): run syncd crm check", exit 5, for up to 15 minutes, with
// no word that the line is the daemon's check, of when, and that a check
// by hand records nothing. It says when the daemon checked and when its
// check runs again: as it runs, on a reload or within 15 minutes; paused,
// at syncd sync -resume; with no daemon, when one is started.
func TestStatusSaysWhenAFailedCheckRunsAgain(t *testing.T) {
	t.Parallel()
	at := "at 2025-01-02 08:49:03 +01:00 (30m ago)"
	for _, c := range []struct {
		name  string
		shape func(*Snapshot)
		want  string
	}{
		{"serving", func(*Snapshot) {}, "crm check     hubspot: FAILING, 11 problems: run syncd crm check (the daemon's check " + at +
			"; once syncd crm check says ok, it clears as it runs again: at once on systemctl reload syncd, else within 15 minutes while CRM calls go through)\n"},
		{"paused", func(s *Snapshot) { s.Adapters[0].Paused = true }, "(the daemon's check " + at +
			"; once syncd crm check says ok, it runs again at syncd sync -resume, or as the pause ends)\n"},
		{"pause lifted by syncd sync -resume, the daemon's next run to come", func(s *Snapshot) { s.Adapters[0].Paused, s.Adapters[0].PauseLifted = true, true },
			"(the daemon's check " + at + "; it runs again at the daemon's next sync run, which takes the pause lifted)\n"},
		{"none serves", func(s *Snapshot) { s.Offline, s.NoneServes = true, true }, "(the daemon's check " + at +
			"; it runs again once the daemon is started)\n"},
		{"none serves a shared database", func(s *Snapshot) { s.Offline, s.NoneServes, s.Shared = true, true, true },
			"(the check of the instance leading sync " + at + "; it runs again once an instance is started)\n"},
	} {
		s := Snapshot{At: t0, Version: "1.4.0", OutboxKnown: true, Outbox: []metrics.OutboxDepth{{Target: "hubspot", Done: 4}},
			Adapters: []AdapterStatus{{Name: "hubspot", LastSync: t0, Checked: true, CheckProblems: 11, CheckedAt: t0.Add(-30 * time.Minute)}}}
		c.shape(&s)
		var b bytes.Buffer
		if err := writeStatus(&b, cph, s); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), c.want) || !s.needsAttention() {
			t.Errorf("%s: needs attention %v; got\n%s\nwant the line ending\n%s", c.name, s.needsAttention(), b.String(), c.want)
		}
	}
}
