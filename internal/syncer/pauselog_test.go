package syncer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// pauseLine runs once against a CRM failing with ce and returns the
// "crm adapter paused" log line, as an operator reads it at info.
func pauseLine(t *testing.T, ce *syncd.CRMError) map[string]any {
	t.Helper()
	db := openDB(t, newClock())
	crm := newMemCRM()
	crm.fail = func(syncd.RecordKind, string) error { return ce }
	enqueueLeads(t, db, "mem", 0, 1)
	var logs bytes.Buffer
	s := newSyncer(t, db, crm, nil, func(o *syncer.Options) {
		o.Log = zerolog.New(&logs).Level(zerolog.InfoLevel)
	})
	if _, err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["message"] == "crm adapter paused" {
			return m
		}
	}
	t.Fatalf("no pause logged:\n%s", logs.String())
	return nil
}

// A pause for a rejected token is an error that says what to do, as the
// one for the account's configuration does: the line alone must lead the
// operator to the fix.
func TestPauseLogSaysHowItEnds(t *testing.T) {
	t.Parallel()
	m := pauseLine(t, &syncd.CRMError{Status: 401, Code: "EXPIRED_AUTHENTICATION", Message: "expired", Class: syncd.ErrAuth})
	fix, _ := m["fix"].(string)
	if m["level"] != "error" || !strings.Contains(fix, "syncd sync -resume") || !strings.Contains(fix, "token") {
		t.Errorf("token rejected: %v; want an error whose fix names a new token and syncd sync -resume", m)
	}
	m = pauseLine(t, &syncd.CRMError{Status: 400, Code: "INVALID_OPTION", Message: "bad", Class: syncd.ErrConfig, Property: "dealstage"})
	if fix, _ := m["fix"].(string); m["level"] != "error" || !strings.Contains(fix, "syncd crm check") || m["property"] != "dealstage" {
		t.Errorf("configuration: %v; want an error naming the property and syncd crm check", m)
	}
}

// A spent daily limit ends by itself: nobody has to act, so it is a
// warning saying so, not an error.
func TestPauseLogDailyLimitIsWarning(t *testing.T) {
	t.Parallel()
	m := pauseLine(t, &syncd.CRMError{Status: 429, Code: "DAILY", Message: "daily limit", Class: syncd.ErrDailyLimit, RetryAfter: 3 * time.Hour})
	if fix, _ := m["fix"].(string); m["level"] != "warn" || !strings.Contains(fix, "resumes by itself") {
		t.Errorf("daily limit: %v; want a warning saying it resumes by itself", m)
	}
}
