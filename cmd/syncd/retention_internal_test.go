package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// purgeFixture is a daemon's store on a controlled clock, with its intake
// running.
type purgeFixture struct {
	b  *backend
	in intake
	at atomic.Int64 // the clock, in Unix nanoseconds: read by the intake's goroutine too
}

func (f *purgeFixture) now() time.Time     { return time.Unix(0, f.at.Load()).UTC() }
func (f *purgeFixture) setNow(t time.Time) { f.at.Store(t.UnixNano()) }

func newSQLitePurgeFixture(t *testing.T) *purgeFixture {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := &purgeFixture{b: &backend{store: db}, in: db.NewIntake(sqlite.IntakeOptions{})}
	db.Now = f.now
	return f.start(t)
}

func newPostgresPurgeFixture(t *testing.T) *purgeFixture {
	db, err := postgres.Open(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	f := &purgeFixture{b: &backend{store: db, cluster: db}, in: db.NewIntake(postgres.IntakeOptions{})}
	db.Now = f.now
	return f.start(t)
}

func (f *purgeFixture) start(t *testing.T) *purgeFixture {
	f.setNow(time.Date(2026, 6, 1, 4, 0, 0, 0, time.UTC))
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.in.Run(ctx); close(done) }()
	t.Cleanup(func() { stop(); <-done; f.b.Close() })
	return f
}

// stored stores an ignored event received age ago.
func (f *purgeFixture) stored(t *testing.T, key string, age time.Duration) int64 {
	ctx := context.Background()
	r, err := f.in.Store(ctx, syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: "feed_import", Key: key,
		Body: []byte(`{"name":"Jane Erasmus"}`), Parse: syncd.ParseStrict, ReceivedAt: f.now().Add(-age)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.b.RecordMapping(ctx, r.ID, syncd.MapIgnored, "", nil); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

func (f *purgeFixture) kept(t *testing.T, id int64) bool {
	ev, err := f.b.Event(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return len(ev.Body) > 0
}

// TestDaemonPurgesOnceADayAfterTheReport drives the daemon's store as the
// reporter does, on a controlled clock: recording a report purges what the
// retention no longer keeps, once per day, on either store.
func TestDaemonPurgesOnceADayAfterTheReport(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(*testing.T) *purgeFixture{
		"sqlite": newSQLitePurgeFixture, "postgres": newPostgresPurgeFixture,
	} {
		t.Run(name, func(t *testing.T) {
			f := open(t)
			p := &purger{db: f.b, keep: retentionOf(config.Retention{EventDays: 90}, 0), log: zerolog.Nop(), now: f.now}
			made := reportMade(t, f, p)
			const day = 24 * time.Hour
			first := f.stored(t, "eaf:1", 100*day)
			second := f.stored(t, "eaf:2", 90*day-time.Hour) // one hour short of the retention
			made()
			if f.kept(t, first) || !f.kept(t, second) {
				t.Fatalf("after the report: first kept %v, second kept %v; want only the second", f.kept(t, first), f.kept(t, second))
			}
			f.setNow(f.now().Add(2 * time.Hour)) // the second is old enough now
			made()                               // a catch-up report the same day: no second purge
			if !f.kept(t, second) {
				t.Fatal("purged twice in one day")
			}
			f.setNow(f.now().Add(day))
			made()
			if f.kept(t, second) {
				t.Fatal("the next day's report did not purge")
			}
		})
	}
}

// reportMade returns a function recording today's report through the
// daemon's store, which purges with p.
func reportMade(t *testing.T, f *purgeFixture, p *purger) func() {
	store := observedStore{store: f.b.store, m: metrics.New("test"), afterReport: p.afterReport}
	return func() {
		if err := store.RecordReport(context.Background(), report.Record{Day: f.now().Format(time.DateOnly), Path: "x.xlsx"}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDaemonPurgeOneInstanceAtATime: on PostgreSQL an instance does not
// purge while another holds the purge's lock (two report leaders in one
// day); it purges the next day.
func TestDaemonPurgeOneInstanceAtATime(t *testing.T) {
	t.Parallel()
	f := newPostgresPurgeFixture(t)
	p := &purger{db: f.b, keep: retentionOf(config.Retention{EventDays: 90}, 0), log: zerolog.Nop(), now: f.now}
	made := reportMade(t, f, p)
	old := f.stored(t, "eaf:1", 100*24*time.Hour)
	holding, release := make(chan struct{}), make(chan struct{})
	other := make(chan error)
	go func() {
		_, err := f.b.cluster.TryLead(context.Background(), purgeLock, func(context.Context) error {
			close(holding)
			<-release
			return nil
		})
		other <- err
	}()
	<-holding
	made()
	close(release)
	if err := <-other; err != nil {
		t.Fatal(err)
	}
	if !f.kept(t, old) {
		t.Fatal("purged while another instance held the purge")
	}
	f.setNow(f.now().Add(24 * time.Hour))
	made()
	if f.kept(t, old) {
		t.Fatal("the next day's report did not purge")
	}
}

// TestDaemonPurgeSweepsExpiredKeys: on PostgreSQL the daily purge also
// deletes the intake keys past intake.dedup_window, and logs how many.
func TestDaemonPurgeSweepsExpiredKeys(t *testing.T) {
	t.Parallel()
	f := newPostgresPurgeFixture(t)
	var log bytes.Buffer
	const window = 14 * 24 * time.Hour
	p := &purger{db: f.b, keep: retentionOf(config.Retention{}, window), log: zerolog.New(&log), now: f.now}
	f.stored(t, "eaf:1", window+time.Hour)
	f.stored(t, "eaf:2", window-time.Hour)
	reportMade(t, f, p)()
	if !strings.Contains(log.String(), `"keys":1,`) {
		t.Fatalf("purge log: %s; want 1 key swept", log.String())
	}
}

// TestDaemonPurgeDayIsTheReportZones: "once a day" was the UTC day, so a
// report at 01:30 in Copenhagen, 00:30 UTC in winter and 23:30 UTC the day
// before in summer, purged on Sunday 29 March and not on Monday, both on
// UTC's 29 March. The day is the report zone's.
func TestDaemonPurgeDayIsTheReportZones(t *testing.T) {
	t.Parallel()
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	f := newSQLitePurgeFixture(t)
	p := &purger{db: f.b, keep: retentionOf(config.Retention{EventDays: 90}, 0), log: zerolog.Nop(),
		now: f.now, loc: cph}
	made := reportMade(t, f, p)
	f.setNow(time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)) // Sunday 01:30 CET
	id := f.stored(t, "eaf:1", 90*24*time.Hour-time.Hour)
	made()
	if !f.kept(t, id) {
		t.Fatal("purged an event younger than the retention")
	}
	f.setNow(time.Date(2026, 3, 29, 23, 30, 0, 0, time.UTC)) // Monday 01:30 CEST
	made()
	if f.kept(t, id) {
		t.Fatal("Monday's report did not purge")
	}
}

// TestPurgeRunsWithoutAReportForADayAndAHalf: the purge ran only after a
// report was recorded, so a report failing day after day (its directory
// not writable, the disk full) kept every lead past the retention, and
// nothing said so. With no report for purgeBackstop the purge runs
// without one, once, and says why; a report recorded meanwhile puts it off.
func TestPurgeRunsWithoutAReportForADayAndAHalf(t *testing.T) {
	t.Parallel()
	f := newSQLitePurgeFixture(t)
	var log bytes.Buffer
	p := &purger{db: f.b, keep: retentionOf(config.Retention{EventDays: 90}, 0), log: zerolog.New(&log), now: f.now}
	p.since = f.now() // as Run starts
	const day = 24 * time.Hour
	old := f.stored(t, "eaf:1", 100*day)

	f.setNow(f.now().Add(purgeBackstop - time.Hour))
	p.backstop(context.Background())
	if !f.kept(t, old) {
		t.Fatal("purged before a day and a half without a report")
	}
	f.setNow(f.now().Add(time.Hour))
	p.backstop(context.Background())
	if f.kept(t, old) {
		t.Fatalf("no purge after a day and a half without a report; log:\n%s", log.String())
	}
	if !strings.Contains(log.String(), "no report recorded for a day and a half") {
		t.Fatalf("the purge without a report did not say why:\n%s", log.String())
	}

	// A report recorded now purges (another day) and puts the next
	// purge without one a day and a half off again.
	f.setNow(f.now().Add(day))
	reportMade(t, f, p)()
	second := f.stored(t, "eaf:2", 100*day)
	f.setNow(f.now().Add(purgeBackstop - time.Hour))
	p.backstop(context.Background())
	if !f.kept(t, second) {
		t.Fatal("purged without a report though one was recorded less than a day and a half before")
	}
}

// TestDaemonPurgeHandsThePurgedDaysToTheReports: the daily purge dropped
// bodies and left the workbooks of their days as they were, listing the
// leads for report.keep_days whatever the retention said. It hands the
// days it purged to the reports (purgeReports: made again without them,
// as syncd purge does, TestPurgeRemakesTheWorkbooksOfWhatItPurged) and
// logs the workbooks it made again.
func TestDaemonPurgeHandsThePurgedDaysToTheReports(t *testing.T) {
	t.Parallel()
	f := newSQLitePurgeFixture(t)
	var log bytes.Buffer
	var got []time.Time
	p := &purger{db: f.b, keep: retentionOf(config.Retention{EventDays: 30}, 0), log: zerolog.New(&log), now: f.now,
		reports: func(_ context.Context, received []time.Time) ([]string, []string, error) {
			got = received
			return nil, []string{"/var/lib/syncd/reports/leads-2026-04-22.xlsx"}, nil
		}}
	const day = 24 * time.Hour
	f.stored(t, "eaf:1", 40*day)
	f.stored(t, "eaf:2", 10*day) // kept: its day is not handed over
	reportMade(t, f, p)()
	if want := f.now().Add(-40 * day).Truncate(15 * time.Minute); len(got) != 1 || !got[0].Equal(want) {
		t.Fatalf("the purge handed the reports %v; want the purged event's quarter hour %v", got, want)
	}
	if !strings.Contains(log.String(), `"file":"leads-2026-04-22.xlsx","message":"retention purge: report made again without what it purged"`) {
		t.Fatalf("the workbook made again is not logged:\n%s", log.String())
	}
}

// TestDaemonPurgeWarnsOfABackupOlderThanTheRetention: the daemon's daily
// purge said nothing of a backup syncd backup made longer ago than the
// retention, which holds what the purge drops: it warns, naming the file
// and the setting, and not a backup taken within the retention.
func TestDaemonPurgeWarnsOfABackupOlderThanTheRetention(t *testing.T) {
	t.Parallel()
	f := newSQLitePurgeFixture(t)
	var log bytes.Buffer
	p := &purger{db: f.b, keep: retentionOf(config.Retention{EventDays: 90, OutboxDays: 30}, 0), log: zerolog.New(&log), now: f.now}
	dir := t.TempDir()
	old, recent := filepath.Join(dir, "old.db"), filepath.Join(dir, "recent.db")
	for _, b := range []struct {
		path string
		age  time.Duration
	}{{old, 31 * 24 * time.Hour}, {recent, 29 * 24 * time.Hour}} {
		if err := os.WriteFile(b.path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := recordBackup(context.Background(), f.b, b.path, f.now().Add(-b.age)); err != nil {
			t.Fatal(err)
		}
	}
	reportMade(t, f, p)()
	if !strings.Contains(log.String(), `"file":"`+old+`"`) || !strings.Contains(log.String(), `"setting":"retention.outbox_days"`) {
		t.Errorf("purge log names not the backup older than retention.outbox_days:\n%s", log.String())
	}
	if strings.Contains(log.String(), recent) {
		t.Errorf("purge log names a backup taken within the retention:\n%s", log.String())
	}
}

// TestDaemonPurgeOnPostgresWarnsOfItsBackups: on PostgreSQL `syncd purge`
// says past which age the database's backups (pg_dump files, base
// backups, WAL archives) hold what the retention no longer keeps, but the
// daemon's daily purge, the one that runs unattended, said nothing of
// them. It warns as purge says.
func TestDaemonPurgeOnPostgresWarnsOfItsBackups(t *testing.T) {
	t.Parallel()
	f := newPostgresPurgeFixture(t)
	var log bytes.Buffer
	p := &purger{db: f.b, keep: retentionOf(config.Retention{EventDays: 90, OutboxDays: 30}, 0), log: zerolog.New(&log), now: f.now}
	reportMade(t, f, p)()
	want := pgBackupsPastText(p.keep)
	if !strings.Contains(want, "taken more than 30 days ago (retention.outbox_days)") {
		t.Fatalf("what purge says of PostgreSQL's backups: %s", want)
	}
	if !strings.Contains(log.String(), `"level":"warn","message":"retention purge: backups: `+want+`"`) {
		t.Errorf("the daily purge on PostgreSQL does not warn of its backups:\n%s", log.String())
	}
}

// TestHeldSaysWhatIsKeptPastTheRetention: purge's account of what it left
// names, of each kind, the oldest kept and its age against its retention;
// enquiries kept past retention.event_days because their leads wait for
// the CRM are counted and said why, and a kind older than its retention
// (a purge that could not run to its end) is named, not passed over.
func TestHeldSaysWhatIsKeptPastTheRetention(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	ago := func(days int) time.Time { return now.Add(-time.Duration(days) * 24 * time.Hour) }
	r := config.Retention{EventDays: 90, QuarantineDays: 90, OutboxDays: 30, LinkDays: 0, ErasureDays: 365}
	h := syncd.Held{Event: ago(120), EventWaiting: 2, Quarantined: ago(10), Op: ago(29), Pending: ago(120), Link: ago(400),
		Intent: ago(45)}
	dir := t.TempDir()
	for _, day := range []string{"2026-11-30", "2026-08-01"} {
		if err := os.WriteFile(filepath.Join(dir, "leads-"+day+".xlsx"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	past := heldSaid(&b, h, r, clock{loc: time.UTC}, now)
	pastSaid(&b, append(past, workbooksSaid(&b, dir, 90, clock{loc: time.UTC}, now)...))
	out := b.String()
	for _, want := range []string{
		"held now, the oldest of each kind (times in UTC):\n",
		"\n  enquiries (their bodies): received 2026-08-05 12:00:00 +00:00, 120 days ago (kept 90 days from when sent: retention.event_days)\n",
		"\n  enquiries (their bodies): 2 received more than 90 days ago are kept, as their leads wait for the CRM or their CRM operations changed since (syncd outbox list -state pending)\n",
		"\n  enquiries not readable (quarantined bodies): last delivered 2026-11-23 12:00:00 +00:00, 10 days ago (kept 90 days: retention.quarantine_days)\n",
		"\n  CRM operations finished: 2026-11-04 12:00:00 +00:00, 29 days ago (kept 30 days: retention.outbox_days)\n",
		"\n  CRM operations not sent yet: since 2026-08-05 12:00:00 +00:00, 120 days ago (kept until sent)\n",
		"\n  CRM links (an email or phone and its CRM id): 2025-10-29 12:00:00 +00:00, 400 days ago (kept for ever: retention.link_days 0)\n",
		"\n  CRM create intents: 2026-10-19 12:00:00 +00:00, 45 days ago (kept 30 days: retention.outbox_days)\n",
		"\n  erasure identifiers (keyed hashes of an erased email or phone): none\n",
		"\n  daily reports (workbooks in report.dir): of 2026-08-01, 124 days ago (kept 90 days: report.keep_days)\n",
		"\nOLDER THAN ITS RETENTION: CRM create intents, daily reports (workbooks in report.dir): the purge did not drop them: run syncd purge again, and if they stay, look for " +
			"its error in the daemon's log (retention purge)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("held said:\n%s\nwant a line %q", out, want)
		}
	}
}

// TestHeldSaysOneDayAndOneEnquiryInTheSingular: purge's account, pasted
// into a DPO's records, said "1 days ago", "kept 1 days" and "1 received
// more than 1 days ago are kept, as their leads wait"; it says one of each
// in the singular.
func TestHeldSaysOneDayAndOneEnquiryInTheSingular(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	dayAgo := now.Add(-25 * time.Hour)
	r := config.Retention{EventDays: 1, QuarantineDays: 1, OutboxDays: 1, ErasureDays: 1}
	h := syncd.Held{Event: dayAgo, EventWaiting: 1, Pending: dayAgo}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "leads-2026-12-02.xlsx"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	heldSaid(&b, h, r, clock{loc: time.UTC}, now)
	workbooksSaid(&b, dir, 1, clock{loc: time.UTC}, now)
	out := b.String()
	for _, want := range []string{
		"  enquiries (their bodies): received 2026-12-02 11:00:00 +00:00, 1 day ago (kept 1 day from when sent: retention.event_days)\n",
		"  enquiries (their bodies): 1 received more than 1 day ago is kept, as its lead waits for the CRM or its CRM operations changed since (syncd outbox list -state pending)\n",
		"  CRM operations not sent yet: since 2026-12-02 11:00:00 +00:00, 1 day ago (kept until sent)\n",
		"  daily reports (workbooks in report.dir): of 2026-12-02, 1 day ago (kept 1 day: report.keep_days)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("held said:\n%s\nwant a line %q", out, want)
		}
	}
	if strings.Contains(out, "1 days") {
		t.Errorf("held said \"1 days\":\n%s", out)
	}
}
