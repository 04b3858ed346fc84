package syncer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// deadLines runs once against a CRM failing with fail and returns the
// run's dead count and its "dead letter" log lines.
func deadLines(t *testing.T, maxAttempts int, fail func(syncd.RecordKind, string) error) (int, []map[string]any) {
	t.Helper()
	db := openDB(t, newClock())
	crm := newMemCRM()
	crm.fail = fail
	enqueueLeads(t, db, "mem", 0, 1)
	var logs bytes.Buffer
	s := newSyncer(t, db, crm, nil, func(o *syncer.Options) {
		o.Log, o.MaxAttempts = zerolog.New(&logs).Level(zerolog.InfoLevel), maxAttempts
	})
	sum, err := s.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var lines []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if msg, _ := m["message"].(string); strings.Contains(msg, "dead letter") {
			lines = append(lines, m)
		}
	}
	return sum.Dead, lines
}

// Every operation dead-lettered is a line at once, with the commands that
// show and revive it: a deal dead because its contact is, and operations
// given up on after failures the records may cause, died without a word.
// It names the give-up too, for one dealt with by hand in the CRM: the
// line said only how to send it again.
func TestEveryDeadLetterIsLogged(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		max  int
		fail func(syncd.RecordKind, string) error
	}{
		"contact rejected, its deal orphaned": {5, func(k syncd.RecordKind, _ string) error {
			if k == syncd.RecordContact {
				return &syncd.CRMError{Status: 400, Code: "VALIDATION_ERROR", Message: "bad", Class: syncd.ErrPermanent}
			}
			return nil
		}},
		"given up after 500s": {1, func(syncd.RecordKind, string) error {
			return &syncd.CRMError{Status: 500, Code: "INTERNAL", Message: "failed", Class: syncd.ErrRetry}
		}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dead, lines := deadLines(t, c.max, c.fail)
			if dead == 0 || len(lines) != dead {
				t.Fatalf("%d dead, %d lines: %v", dead, len(lines), lines)
			}
			for _, m := range lines {
				op := fmt.Sprint(m["op"])
				if fix, _ := m["fix"].(string); m["level"] != "warn" || !strings.Contains(fix, "syncd outbox retry "+op) ||
					!strings.Contains(fix, "syncd outbox give-up "+op) {
					t.Errorf("dead letter logged as %v; want a warning whose fix names syncd outbox retry %s and, "+
						"dealt with by hand in the CRM, syncd outbox give-up %s", m, op, op)
				}
			}
		})
	}
}

// A value the CRM refused (an email HubSpot calls invalid) is the lead's
// own: the dead letter's line names the field, never the value, and says
// what helps, as a retry of the same value would not.
func TestRefusedValueDeadLetterNamesTheField(t *testing.T) {
	t.Parallel()
	dead, lines := deadLines(t, 5, func(k syncd.RecordKind, _ string) error {
		if k == syncd.RecordContact {
			return &syncd.CRMError{Status: 400, Code: "INVALID_EMAIL", Property: "email", Class: syncd.ErrPermanent,
				Message: `Property values were not valid: [{"isValid":false,"message":"Email address kim@@x.dk is invalid","error":"INVALID_EMAIL","name":"email"}]`}
		}
		return nil
	})
	if dead == 0 || len(lines) == 0 {
		t.Fatalf("%d dead, lines %v", dead, lines)
	}
	m := lines[0]
	fix, _ := m["fix"].(string)
	if m["kind"] != "contact" || m["property"] != "email" || m["code"] != "INVALID_EMAIL" ||
		!strings.Contains(fix, fmt.Sprintf("syncd outbox show %v", m["op"])) || !strings.Contains(fix, "syncd replay") ||
		!strings.Contains(fix, fmt.Sprintf("enter the lead in the CRM by hand (the value corrected) and syncd outbox give-up %v", m["op"])) ||
		strings.Contains(fmt.Sprint(m), "kim@@x.dk") {
		t.Fatalf("dead letter logged as %v", m)
	}
}
