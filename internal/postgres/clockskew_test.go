package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestInstancesSeenWhateverTheirClocks: an instance on a host whose clock
// is a few minutes behind recorded its heartbeat in that clock, so syncd
// status elsewhere counted it as not seen (it was missing from the list)
// and one a few minutes ahead looked seen in the future (it kept the lead
// it once had for minutes after it died). The heartbeat is the database's
// clock, and Instances gives the times on the caller's clock.
func TestInstancesSeenWhateverTheirClocks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	here, behind, ahead := openDSN(t, dsn), openDSN(t, dsn), openDSN(t, dsn)
	behind.Now = func() time.Time { return time.Now().Add(-3 * time.Minute) }
	ahead.Now = func() time.Time { return time.Now().Add(4 * time.Minute) }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go behind.Heartbeat(ctx, "127.0.0.1:1", "1.0.0", noSettings)
	go ahead.Heartbeat(ctx, "127.0.0.1:2", "1.0.0", noSettings)
	for _, c := range []struct {
		name string
		now  func() time.Time
		list func(context.Context, time.Duration) ([]syncd.Instance, error)
	}{{"here", here.Now, here.Instances}, {"behind", behind.Now, behind.Instances}, {"ahead", ahead.Now, ahead.Instances}} {
		var got []syncd.Instance
		waitFor(t, c.name+" sees both", func() bool { got, _ = c.list(ctx, 30*time.Second); return len(got) == 2 })
		for _, in := range got {
			if age := c.now().Sub(in.SeenAt); age < -time.Second || age > 10*time.Second {
				t.Errorf("%s: %s seen %s ago, want within the heartbeat", c.name, in.Listen, age)
			}
			if up := c.now().Sub(in.StartedAt); up < -time.Second || up > time.Minute {
				t.Errorf("%s: %s up %s, want since the test began", c.name, in.Listen, up)
			}
		}
	}
}

func noSettings() string { return "" }

// tenMinutesAhead opens a handle on dsn whose clock runs ten minutes ahead,
// its skew against the server's measured again once Now is set (Open
// measured it on the real clock; the first heartbeat notes the new one
// only after recording the instance).
func tenMinutesAhead(t *testing.T, dsn string) *postgres.DB {
	t.Helper()
	ahead := openDSN(t, dsn)
	ahead.Now = func() time.Time { return time.Now().Add(10 * time.Minute) }
	if err := ahead.MeasureClock(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ahead
}

// mapOneContact stores one event through db's intake and maps it, on db,
// to one pending contact operation for hubspot.
func mapOneContact(ctx context.Context, t *testing.T, db *postgres.DB) {
	t.Helper()
	in := db.NewIntake(postgres.IntakeOptions{})
	go in.Run(ctx)
	rec, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "k", Body: []byte("{}"),
		Parse: syncd.ParseStrict})
	if err != nil {
		t.Fatal(err)
	}
	ops := []syncd.Op{{Target: "hubspot", Kind: syncd.RecordContact, Key: "a@example.com", MappingFile: "f", MappingHash: "h"}}
	if _, err := db.RecordMapping(ctx, rec.ID, syncd.MapMapped, "", ops); err != nil {
		t.Fatal(err)
	}
}

// claimTheOne has db claim, leased for lease, the one contact operation
// another instance mapped just now, and returns it. The operation is due
// from the moment it was written, on the database server's clock as that
// instance measured it, and db claims on the server's clock as it measured
// it: each measure is off by up to half a round trip to the server
// (milliseconds, more on a loaded host), so by db's an operation due just
// now can be due a few milliseconds from now, and a claim then takes
// nothing (the next sync pass takes it). It waits for the claim, as a
// sync leader's next pass would: an operation kept on a wrong clock, due
// ten minutes from now, still fails it.
func claimTheOne(ctx context.Context, t *testing.T, db *postgres.DB, who string, lease time.Duration) []syncd.Op {
	t.Helper()
	var held []syncd.Op
	waitFor(t, who+" to claim the operation due now", func() bool {
		var err error
		if held, err = db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, lease); err != nil {
			t.Fatalf("%s claims: %v", who, err)
		}
		if len(held) > 1 {
			t.Fatalf("%s claims %d ops; want the one", who, len(held))
		}
		return len(held) == 1
	})
	return held
}

// beatingApart opens two instances on a new database, here on this host's
// clock and ahead ten minutes ahead, and returns once both heartbeats are
// seen, with a context that ends with the test (and the heartbeats with it).
func beatingApart(t *testing.T) (ctx context.Context, here, ahead *postgres.DB) {
	t.Helper()
	dsn := pgtest.DSN(t)
	here, ahead = openDSN(t, dsn), tenMinutesAhead(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go here.Heartbeat(ctx, "127.0.0.1:1", "1.0.0", noSettings)
	go ahead.Heartbeat(ctx, "127.0.0.1:2", "1.0.0", noSettings)
	waitFor(t, "both beat", func() bool { got, _ := here.Instances(ctx, 30*time.Second); return len(got) == 2 })
	return ctx, here, ahead
}

// TestLeaseHeldWhateverTheClocks: an instance whose clock ran ten minutes
// ahead, taking over the sync (its leader died, or was cut off mid-call),
// claimed at once the operation the other instance was still sending: by
// its clock the lease had run out, so the CRM would get it twice. Leases
// are set and compared on the database server's clock, as each instance's
// heartbeat measures it; one that has run out is still taken.
func TestLeaseHeldWhateverTheClocks(t *testing.T) {
	t.Parallel()
	ctx, here, ahead := beatingApart(t)
	mapOneContact(ctx, t, here)
	const lease = 3 * time.Second
	held, err := here.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, lease)
	if err != nil || len(held) != 1 {
		t.Fatalf("here claims %d ops, %v; want the one", len(held), err)
	}
	claimed := time.Now()
	// Taken before the lease had nearly run out: a second is far more than
	// the two instances' measures of the server's clock differ (as
	// claimTheOne tells), far less than the ten minutes of a wrong clock.
	taken, err := ahead.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, lease)
	if err != nil || (len(taken) != 0 && time.Since(claimed) < lease-time.Second) {
		t.Fatalf("the instance ten minutes ahead claims %d ops, %v, while the other's lease runs; want none", len(taken), err)
	}
	waitFor(t, "the lease to run out and the op to be taken", func() bool {
		taken, err = ahead.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, lease)
		return err == nil && len(taken) == 1
	})
}

// TestDueWhateverTheClocks: the outbox's next attempts were written on the
// clock of the host that wrote them (the instance that mapped a lead, the
// sync leader that retried one) and compared with the clock of the one
// claiming: a lead mapped on a host ten minutes ahead waited ten minutes
// for a sync leader whose clock was right, and a retry backed off by a host
// that is behind went again at once on one ahead. Like leases, next
// attempts are kept on the database server's clock.
func TestDueWhateverTheClocks(t *testing.T) {
	t.Parallel()
	ctx, here, ahead := beatingApart(t)
	mapOneContact(ctx, t, ahead) // mapped on the host ahead
	held := claimTheOne(ctx, t, here, "the leader", time.Minute)
	if d := time.Until(held[0].NextAttemptAt); d > time.Minute || d < -time.Minute {
		t.Errorf("next attempt %s from now on the leader's clock, want now", d)
	}

	// The leader retries it in an hour (a 429's back-off); the host ahead
	// took the lead meanwhile: it is not due for it either.
	held[0].NextAttemptAt, held[0].LastError = time.Now().Add(time.Hour), "429"
	if err := here.FinishOps(ctx, held); err != nil {
		t.Fatal(err)
	}
	if taken, err := ahead.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute); err != nil || len(taken) != 0 {
		t.Fatalf("the host ahead claims %d ops backed off for an hour on the leader's clock, %v; want none", len(taken), err)
	}
	got, err := ahead.GetOp(ctx, held[0].ID)
	if d := got.NextAttemptAt.Sub(ahead.Now()); err != nil || d < 59*time.Minute || d > 61*time.Minute {
		t.Errorf("next attempt %s from now on the host ahead's clock, %v; want an hour", d, err)
	}
}

// TestPauseWhateverTheClocks: an adapter pause was kept on the clock of
// the sync leader that set it: set for 15 minutes by one ten minutes
// ahead, it lasted 25 for a next leader whose clock was right (and 5 for
// one behind). It is kept on the database server's clock.
func TestPauseWhateverTheClocks(t *testing.T) {
	t.Parallel()
	ctx, here, ahead := beatingApart(t)
	if err := ahead.SetAdapterPause(ctx, "hubspot", syncd.Pause{Until: ahead.Now().Add(15 * time.Minute), Kind: syncd.PauseToken, Reason: "401"}); err != nil {
		t.Fatal(err)
	}
	p, err := here.AdapterPause(ctx, "hubspot")
	if d := time.Until(p.Until); err != nil || d < 14*time.Minute || d > 16*time.Minute {
		t.Errorf("a pause of 15 minutes set by the host ahead ends in %s on the right clock, %v", d, err)
	}
}

// TestCoolDownWhateverTheClocks: the CRM failing every call (since when,
// and until when the sync leader tries no call: its cool-down) was kept on
// the clock of the leader that wrote it. Written by a leader ten minutes
// ahead, a cool-down that had just ended was, for a next leader whose clock
// was right, to end in ten minutes, and outbox list there said pending
// operations went then; written by one ten minutes behind, a cool-down
// running yet had ended ten minutes ago for the next leader, which began
// the outage anew instead of carrying it on. It is kept on the database
// server's clock and given on each host's.
func TestCoolDownWhateverTheClocks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	here, ahead := openDSN(t, dsn), tenMinutesAhead(t, dsn)
	ctx := context.Background()
	since, until := ahead.Now().Add(-time.Hour), ahead.Now().Add(5*time.Minute)
	if err := ahead.SetCRMFailing(ctx, "hubspot", since, until, ""); err != nil {
		t.Fatal(err)
	}
	gotSince, gotUntil, _, err := here.CRMFailing(ctx, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(gotUntil); d < 4*time.Minute || d > 6*time.Minute {
		t.Errorf("a cool-down of 5 minutes set by the host ahead ends in %s on the right clock", d)
	}
	if d := time.Since(gotSince); d < 59*time.Minute || d > 61*time.Minute {
		t.Errorf("failing for an hour by the host ahead: %s on the right clock", d)
	}
	if _, u, _, err := ahead.CRMFailing(ctx, "hubspot"); err != nil || u.Sub(ahead.Now()) < 4*time.Minute || u.Sub(ahead.Now()) > 6*time.Minute {
		t.Errorf("the host ahead reads back a cool-down ending in %s on its clock, %v; want 5 minutes", u.Sub(ahead.Now()), err)
	}
	if err := here.SetCRMFailing(ctx, "hubspot", time.Time{}, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	if s, u, _, err := ahead.CRMFailing(ctx, "hubspot"); err != nil || !s.IsZero() || !u.IsZero() {
		t.Errorf("after the CRM answered: failing since %v until %v, %v; want none", s, u, err)
	}
}

// near reports whether t is within a minute of want: the clocks here are
// ten minutes apart, so a time on the wrong one is far off.
func near(t, want time.Time) bool { d := t.Sub(want); return d > -time.Minute && d < time.Minute }

// TestLastSyncWhateverTheClocks: the last sync was written on the clock of
// the sync leader that ran it: written by a leader ten minutes ahead,
// syncd status on a host whose clock was right said "last sync in 10m"
// (a negative age), and the sync-overdue alert and
// syncd_last_sync_age_seconds stayed silent ten minutes longer than
// sync.alert_after (one behind: they fired ten minutes early). It is kept
// on the database server's clock and given on each host's.
func TestLastSyncWhateverTheClocks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	here, ahead := openDSN(t, dsn), tenMinutesAhead(t, dsn)
	ctx := context.Background()
	if err := ahead.SetLastSync(ctx, "hubspot", ahead.Now()); err != nil {
		t.Fatal(err)
	}
	if last, err := here.LastSync(ctx, "hubspot"); err != nil || !near(last, time.Now()) {
		t.Errorf("a sync just run by the host ahead: last sync %s ago on the right clock, %v; want now", time.Since(last), err)
	}
	if ok, err := ahead.SetLastSyncDrained(ctx, "pipedrive", ahead.Now()); err != nil || !ok {
		t.Fatalf("set last sync drained = %v, %v", ok, err)
	}
	if last, err := here.LastSync(ctx, "pipedrive"); err != nil || !near(last, time.Now()) {
		t.Errorf("a drained sync just run by the host ahead: last sync %s ago on the right clock, %v; want now", time.Since(last), err)
	}
	if last, err := ahead.LastSync(ctx, "pipedrive"); err != nil || !near(last, ahead.Now()) {
		t.Errorf("the host ahead reads back its last sync %s ago on its clock, %v; want now", ahead.Now().Sub(last), err)
	}
}

// TestLastReportWhateverTheClocks: a report's creation and mailing times
// were written on the clock of the report leader that made it: made by a
// leader ten minutes ahead, syncd status elsewhere said it was made in the
// future, and the alarm of no report for 26 hours (status, /metrics'
// syncd_last_report_age_seconds) came ten minutes late (one behind: early).
// They are kept on the database server's clock and given on each host's.
func TestLastReportWhateverTheClocks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	here, ahead := openDSN(t, dsn), tenMinutesAhead(t, dsn)
	ctx := context.Background()
	for _, rec := range []syncd.ReportRecord{
		{Day: "2026-11-29", Path: "/r/2026-11-29.xlsx", CreatedAt: ahead.Now(), Mail: syncd.MailPending}, // as the report gives it
		{Day: "2026-11-30", Path: "/r/2026-11-30.xlsx", Mail: syncd.MailPending},                         // the store's now
	} {
		if err := ahead.RecordReport(ctx, rec); err != nil {
			t.Fatal(err)
		}
		if err := ahead.SetMailState(ctx, rec.Day, syncd.MailSent, 1, "", syncd.MailNote{}); err != nil {
			t.Fatal(err)
		}
	}
	last, err := here.LastReport(ctx, true)
	if err != nil || last.Day != "2026-11-30" || !near(last.CreatedAt, time.Now()) || !near(last.MailedAt, time.Now()) {
		t.Errorf("a report just made and mailed by the host ahead: %s, made %s ago and mailed %s ago on the right clock, %v; want now",
			last.Day, time.Since(last.CreatedAt), time.Since(last.MailedAt), err)
	}
	recs, err := here.Reports(ctx, "2026-11-29")
	if err != nil || len(recs) != 2 {
		t.Fatalf("reports = %d, %v; want 2", len(recs), err)
	}
	for _, r := range recs {
		if !near(r.CreatedAt, time.Now()) || !near(r.MailedAt, time.Now()) {
			t.Errorf("report %s made %s ago, mailed %s ago on the right clock; want now", r.Day, time.Since(r.CreatedAt), time.Since(r.MailedAt))
		}
	}
	if back, err := ahead.LastReport(ctx, true); err != nil || !near(back.CreatedAt, ahead.Now()) {
		t.Errorf("the host ahead reads back its report made %s ago on its clock, %v; want now", ahead.Now().Sub(back.CreatedAt), err)
	}
}

// TestIntentWhateverTheClocks: when a create was sent (its intent, which
// makes a create whose answer was lost wait for the CRM's search instead of
// going twice) was written on the clock of the sync leader that sent it: a
// next leader ten minutes ahead took a create sent just now as sent ten
// minutes ago, past the settle time, and could create the record again,
// and its report counted it among the creates in doubt at once (one
// behind: waited ten minutes longer). It is kept on the database server's
// clock and given, and compared, on each host's.
func TestIntentWhateverTheClocks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	here, ahead := openDSN(t, dsn), tenMinutesAhead(t, dsn)
	ctx := context.Background()
	if err := here.SetIntent(ctx, "pipedrive", syncd.RecordContact, "a@example.com", time.Now()); err != nil {
		t.Fatal(err)
	}
	if at, err := ahead.Intent(ctx, "pipedrive", syncd.RecordContact, "a@example.com"); err != nil || !near(at, ahead.Now()) {
		t.Errorf("a create sent just now by the leader here: sent %s ago on the clock of the host ahead, %v; want now", ahead.Now().Sub(at), err)
	}
	if n, err := ahead.UnconfirmedCreates(ctx, "pipedrive", ahead.Now().Add(-5*time.Minute)); err != nil || n != 0 {
		t.Errorf("creates sent over 5 minutes ago, on the host ahead: %d, %v; want none (the one was sent just now)", n, err)
	}
	if n, err := here.UnconfirmedCreates(ctx, "pipedrive", time.Now().Add(time.Minute)); err != nil || n != 1 {
		t.Errorf("creates sent before a minute from now, here: %d, %v; want the one", n, err)
	}
}

// TestOldestPendingWhateverTheClocks: when an operation was made was
// written on the clock of the instance that mapped its lead: one mapped
// on a host ten minutes ahead was, for syncd status and /metrics on a host
// whose clock was right, made in ten minutes (status's "oldest" a negative
// age; syncd_outbox_oldest_pending_age_seconds 0), so the alert on a lead
// waiting too long fired ten minutes late (one behind: early). It is kept
// on the database server's clock and given on each host's.
func TestOldestPendingWhateverTheClocks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	here, ahead := openDSN(t, dsn), tenMinutesAhead(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mapOneContact(ctx, t, ahead)
	ds, err := here.OutboxDepths(ctx)
	if err != nil || len(ds) != 1 || !near(ds[0].OldestPending, time.Now()) {
		t.Fatalf("depths of a lead just mapped on the host ahead = %+v, %v; want its oldest pending now on the right clock", ds, err)
	}
	ops, err := here.ListOps(ctx, syncd.OpFilter{})
	if err != nil || len(ops) != 1 || !near(ops[0].CreatedAt, time.Now()) {
		t.Fatalf("outbox list of a lead just mapped on the host ahead = %+v, %v; want it made now on the right clock", ops, err)
	}
	if ds, err := ahead.OutboxDepths(ctx); err != nil || len(ds) != 1 || !near(ds[0].OldestPending, ahead.Now()) {
		t.Errorf("the host ahead reads back depths %+v, %v; want its oldest pending now on its clock", ds, err)
	}
}

// TestGiveUpWhateverTheClocks: syncd outbox give-up compared an
// operation's lease, set on the database server's clock, with its own
// host's: run on a host ten minutes ahead, it gave up the operation the
// sync leader was still sending (whose lease had five minutes to run),
// and the deals waiting for that contact with it; on one behind it
// refused for ten minutes after the lease ended. It compares on the
// server's clock.
func TestGiveUpWhateverTheClocks(t *testing.T) {
	t.Parallel()
	ctx, here, ahead := beatingApart(t)
	mapOneContact(ctx, t, here)
	held, err := here.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, 5*time.Minute)
	if err != nil || len(held) != 1 {
		t.Fatalf("the leader claims %d ops, %v; want the one", len(held), err)
	}
	if _, err := ahead.GiveUpOp(ctx, held[0].ID, "hubspot", "entered by hand"); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Errorf("give-up on the host ahead of an operation leased for 5 minutes: %v; want refused while the lease runs", err)
	}
	if op, err := here.GetOp(ctx, held[0].ID); err != nil || op.State != syncd.OpPending {
		t.Errorf("the leased operation is %s, %v; want still pending", op.State, err)
	}
}

// TestUpdatedWhateverTheClocks: when an operation last changed was written
// on the clock of the host that changed it (the sync leader that claimed
// or finished it, the instance that gave it up): one claimed on a host ten
// minutes ahead was, for outbox list and show on a host whose clock was
// right, updated ten minutes after now, and on one behind updated before
// it was made; one given up there fell, in the report made elsewhere, in
// the next ten minutes' Needs attention (near midnight, the next day's).
// It is kept on the database server's clock, as the creation time is, and
// given on each host's.
func TestUpdatedWhateverTheClocks(t *testing.T) {
	t.Parallel()
	ctx, here, ahead := beatingApart(t)
	mapOneContact(ctx, t, here)
	held := claimTheOne(ctx, t, ahead, "the host ahead", time.Minute)
	if !near(held[0].UpdatedAt, ahead.Now()) {
		t.Errorf("the host ahead claimed it at %s on its clock, want now", ahead.Now().Sub(held[0].UpdatedAt))
	}
	op, err := here.GetOp(ctx, held[0].ID)
	if err != nil || !near(op.UpdatedAt, time.Now()) || op.UpdatedAt.Before(op.CreatedAt.Add(-time.Second)) {
		t.Errorf("outbox show here of an operation claimed just now on the host ahead: made %s, updated %s, %v; want both now",
			op.CreatedAt, op.UpdatedAt, err)
	}
	held[0].State, held[0].LastError = syncd.OpPending, "429"
	if err := ahead.FinishOps(ctx, held); err != nil {
		t.Fatal(err)
	}
	if _, err := ahead.GiveUpOp(ctx, held[0].ID, "hubspot", "entered by hand"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		db   *postgres.DB
	}{{"here", here}, {"ahead", ahead}} {
		now := c.db.Now()
		var got []syncd.AttentionRow
		err := c.db.EachAttention(ctx, now.Add(-time.Minute), now.Add(time.Minute), func(r *syncd.AttentionRow) error {
			got = append(got, *r)
			return nil
		})
		if err != nil || len(got) != 1 || !near(got[0].At, now) {
			t.Errorf("%s: needs attention within a minute of now = %+v, %v; want the operation given up just now", c.name, got, err)
		}
	}
}

// TestInstalledWhateverTheClocks: when syncd first ran on the database was
// written on the clock of the first instance, and each instance's report
// scheduler makes no report of a day that ended before it: installed at
// 23:55 on a host ten minutes ahead, it was 00:05 the next day for the
// others, which never reported the leads of those first minutes (installed
// just after midnight on a host behind: a report of the day before syncd
// existed). It is kept on the database server's clock and given on each
// host's.
func TestInstalledWhateverTheClocks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	here, ahead := openDSN(t, dsn), tenMinutesAhead(t, dsn)
	ctx := context.Background()
	if at, err := ahead.InstalledAt(ctx); err != nil || !near(at, ahead.Now()) {
		t.Fatalf("first run on the host ahead: installed %s ago on its clock, %v; want now", ahead.Now().Sub(at), err)
	}
	if at, err := here.InstalledAt(ctx); err != nil || !near(at, time.Now()) {
		t.Errorf("installed just now on the host ahead: %s ago here, %v; want now", time.Since(at), err)
	}
}
