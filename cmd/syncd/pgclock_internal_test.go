package main

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// onTwoClocks opens two handles on a database whose server's clock runs
// pgtest.Skew (10 minutes) behind this host's: ahead, an instance on this
// host's clock, so ten minutes ahead of the server's, and right, one on a
// host whose clock agrees with the server's, its clock measured by its
// heartbeat as an instance's is. It returns once right has measured it.
func onTwoClocks(t *testing.T) (ctx context.Context, ahead, right *postgres.DB) {
	t.Helper()
	dsn := pgtest.SkewedDSN(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	open := func() *postgres.DB {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	ahead, right = open(), open()
	right.Now = func() time.Time { return time.Now().Add(-pgtest.Skew) }
	go right.Heartbeat(ctx, "127.0.0.1:1", version, func() string { return "" })
	// A last sync the host ahead records now is now on right's clock
	// once right's heartbeat has measured it.
	if err := ahead.SetLastSync(ctx, "clock-probe", time.Now()); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		if last, err := right.LastSync(ctx, "clock-probe"); err == nil && near(last, right.Now()) {
			return ctx, ahead, right
		}
		if time.Now().After(deadline) {
			t.Fatal("the instance whose clock agrees with the server's did not measure it")
		}
	}
}

// near reports whether t is within a minute of want: the clocks here are
// ten minutes apart, so a time on the wrong one is far off.
func near(t, want time.Time) bool { d := t.Sub(want); return d > -time.Minute && d < time.Minute }

// TestStuckBatchSinceWhateverTheClocks: since when a batch the CRM never
// takes was stuck was written on the sync leader's clock: from a leader
// ten minutes ahead, syncd status on a host whose clock was right said
// "ONE BATCH STUCK since 14:10" ten minutes to come, without its age, and
// the report's alarm gave that time too. It is kept on the database
// server's clock and given on each host's.
func TestStuckBatchSinceWhateverTheClocks(t *testing.T) {
	t.Parallel()
	ctx, ahead, right := onTwoClocks(t)
	in := ahead.NewIntake(postgres.IntakeOptions{})
	go in.Run(ctx)
	rec, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "k", Body: []byte("{}"), Parse: syncd.ParseStrict})
	if err != nil {
		t.Fatal(err)
	}
	ops := []syncd.Op{{Target: "hubspot", Kind: syncd.RecordContact, Key: "a@example.com", MappingFile: "f", MappingHash: "h"}}
	if _, err := ahead.RecordMapping(ctx, rec.ID, syncd.MapMapped, "", ops); err != nil {
		t.Fatal(err)
	}
	d := &daemon{db: &backend{store: ahead}, log: zerolog.Nop(), metrics: metrics.New(version),
		adapter: hubspot.New(hubspot.Options{BaseURL: "http://127.0.0.1:1", Token: "t"})}
	// Operation 1, the first of a new database, found stuck just now by the leader ahead.
	(&crmSeen{d: d}).stuck([]int64{1}, time.Now(), "crm 504")

	a := AdapterStatus{Name: "hubspot"}
	if err := stuckDetails(ctx, &backend{store: right}, &a); err != nil || len(a.StuckOps) != 1 {
		t.Fatalf("stuck operations read on the right clock = %v, %v; want the one", a.StuckOps, err)
	}
	if !near(a.StuckSince, right.Now()) {
		t.Errorf("a batch found stuck just now by the leader ahead: stuck since %s ago on the right clock; want now", right.Now().Sub(a.StuckSince))
	}
}

// TestCheckFailedSinceWhateverTheClocks: when the CRM account check ran
// was written on the sync leader's clock: a check that failed just now on
// a leader ten minutes ahead was, in the report made by a report leader
// whose clock was right, failing "Since" a time ten minutes to come (and
// one that failed just before midnight there was left out of that day's
// report). It is kept on the database server's clock and given on each
// host's.
func TestCheckFailedSinceWhateverTheClocks(t *testing.T) {
	t.Parallel()
	ctx, ahead, right := onTwoClocks(t)
	fake := crmfake.New(crmfake.Options{Scopes: []string{}}) // a token without the scopes: the check fails
	url := fake.Start()
	t.Cleanup(func() { fake.Close() })
	cfg := &config.Config{CRM: config.CRM{Kind: "hubspot"}}
	d := &daemon{cfg: cfg, db: &backend{store: ahead}, log: zerolog.Nop(), metrics: metrics.New(version),
		adapter: hubspot.New(hubspot.Options{BaseURL: url, Token: "fake-private-app-token"})}
	d.rules.Store(&mapping.Rules{})
	if err := d.checkAccount(ctx); err == nil {
		t.Fatal("the account check passed with a token without scopes; want it failed")
	}
	got, err := alarms(ctx, cfg, right)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range got {
		if a.Short == "CRM check failed" {
			if !near(a.Since, right.Now()) {
				t.Errorf("a check failed just now on the leader ahead: the report's alarm since %s ago on the right clock; want now", right.Now().Sub(a.Since))
			}
			return
		}
	}
	t.Errorf("alarms = %+v; want the failed check", got)
}
