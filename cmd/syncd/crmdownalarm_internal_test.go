package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestReportAlarmsOnACRMDown: HubSpot did not answer from 02:10 on, and
// the daemon's account check, run at its start, could not read the
// account. The report's only alarm was the check's, its subject "CRM
// check failed", saying "Leads still go out unless the CRM refuses them
// for it", while every lead of the day waited in the outbox; and a daemon
// started before the outage had no alarm at all, its mail reading as a
// normal day's with "12 waiting to be sent". A CRM failing every call for
// 30 minutes or more (as syncd status calls it) is an alarm of its own,
// since when, saying the leads wait and go out by themselves once it
// answers; a check that could not run is not told as an account set up
// wrong, nor beside it.
func TestReportAlarmsOnACRMDown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := &config.Config{CRM: config.CRM{Kind: "hubspot"}}
	since := time.Now().Add(-4 * time.Hour).Truncate(time.Second)
	if err := db.SetCRMFailing(ctx, "hubspot", since, time.Now().Add(time.Minute),
		"dial tcp 127.0.0.1:443: connect: connection refused"); err != nil {
		t.Fatal(err)
	}
	got, err := alarms(ctx, cfg, db)
	if err != nil || len(got) != 1 {
		t.Fatalf("alarms of a CRM failing every call for 4 hours: %q, %v; want one", got, err)
	}
	a := got[0]
	if a.Short != "CRM not answering" || !a.Since.Equal(since) || !strings.Contains(a.Text, "every CRM call failing") ||
		!strings.Contains(a.Text, "wait in the outbox and go out by themselves once it answers") {
		t.Errorf("the alarm of a CRM down: %+v", a)
	}

	// The check the daemon ran as it started could not read the account:
	// the same outage, no second alarm saying the leads go out.
	st, _ := json.Marshal(checkState{At: since.UTC().Format(time.RFC3339), Problems: -1,
		Summary: "contacts properties: no answer from HubSpot (connection refused)"})
	if err := db.SetStateValue(ctx, checkStateName("hubspot"), string(st)); err != nil {
		t.Fatal(err)
	}
	if got, err = alarms(ctx, cfg, db); err != nil || len(got) != 1 || got[0].Short != "CRM not answering" {
		t.Errorf("alarms of a CRM down whose check could not run: %q, %v; want the CRM not answering alone", got, err)
	}

	// A check that could not read the account while the CRM answers other
	// calls (a read answered 503) is said as such, not as problems found.
	if err := db.SetCRMFailing(ctx, "hubspot", time.Time{}, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	got, err = alarms(ctx, cfg, db)
	if err != nil || len(got) != 1 {
		t.Fatalf("alarms of a check that could not run: %q, %v; want one", got, err)
	}
	if a := got[0]; a.Short != "CRM check not run" || !strings.HasPrefix(a.Text, "The CRM account check could not read the account") ||
		strings.Contains(a.Text, "check failed") {
		t.Errorf("the alarm of a check that could not run: %+v", a)
	}

	// A CRM refusing every call for its rate limit answers: it is said so.
	if err := db.SetCRMFailing(ctx, "hubspot", since, time.Now().Add(time.Minute), "429 Too Many Requests (Retry-After 1m0s)"); err != nil {
		t.Fatal(err)
	}
	if got, err = alarms(ctx, cfg, db); err != nil || len(got) != 1 || got[0].Short != "CRM rate-limited" ||
		!strings.Contains(got[0].Text, "refused for its rate limit (429 Too Many Requests") {
		t.Errorf("alarms of a CRM refusing every call for its rate limit: %+v, %v", got, err)
	}
	if err := db.SetCRMFailing(ctx, "hubspot", time.Time{}, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}

	// A CRM failing for less than 30 minutes is a blip, retried: no alarm.
	if err := db.SetStateValue(ctx, checkStateName("hubspot"), `{"at":"2026-01-01T00:00:00Z","problems":0}`); err != nil {
		t.Fatal(err)
	}
	if err := db.SetCRMFailing(ctx, "hubspot", time.Now().Add(-time.Minute), time.Now().Add(time.Minute), "503"); err != nil {
		t.Fatal(err)
	}
	if got, err = alarms(ctx, cfg, db); err != nil || len(got) != 0 {
		t.Errorf("alarms of a CRM failing for a minute: %q, %v; want none", got, err)
	}
}
