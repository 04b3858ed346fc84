package syncer_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestNightLongOutageKillsNoLead: the CRM is unreachable for eight hours
// of cron ticks (no answer at all, then 503s, then 429 with a Retry-After
// of an hour) while leads keep arriving, on the default attempts and
// back-off. The outage is not the leads' fault: none is dead-lettered, so
// the morning needs no `syncd outbox retry`, and once the CRM answers
// again every lead reaches it once. Before, the oldest batch used up its
// ten attempts within about three hours and died, then the next.
func TestNightLongOutageKillsNoLead(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.MaxAttempts, o.RetryBase, o.RetryMax = 10, 30*time.Second, time.Hour // the defaults
	})
	phases := []crmfake.Fault{
		{Name: "no answer", Path: "/crm/**", Action: crmfake.ActDrop},
		{Name: "503", Path: "/crm/**", Action: crmfake.ActError, Status: 503},
		{Name: "429 for an hour", Path: "/crm/**", Action: crmfake.ActRateLimit, RetryAfter: "3600"},
	}
	ctx := context.Background()
	leads, calls := 0, 0
	for _, f := range phases {
		r.srv.ClearFaults()
		r.srv.AddFault(f)
		for minute := range 160 { // a tick a minute, a lead every ten
			if minute%10 == 0 {
				enqueueLeads(t, r.db, hubspot.Name, leads, leads+1)
				leads++
			}
			sum, err := r.s.RunOnce(ctx)
			if err != nil || sum.Done != 0 {
				t.Fatalf("%s, minute %d: run = %+v, %v", f.Name, minute, sum, err)
			}
			calls += sum.Calls
			r.clk.Advance(time.Minute)
		}
		if n := countStates(allOps(t, r.db))[syncd.OpDead]; n != 0 {
			t.Fatalf("after the %q part of the outage: %d dead letters, want none", f.Name, n)
		}
	}
	if calls > 8*6+8 { // about one every 10 minutes, after the back-off grew
		t.Fatalf("%d calls into eight hours of outage: the syncer hammered the CRM", calls)
	}
	r.srv.ClearFaults()
	r.clk.Advance(time.Hour)
	r.drain(t, 5)
	if dead := r.check(t); len(dead) != 0 {
		t.Fatalf("%d dead after the recovery, first %+v", len(dead), dead[0])
	}
	if st := r.srv.State(); len(st.Contacts) != leads || len(st.Deals) != leads {
		t.Fatalf("CRM holds %d contacts, %d deals; want %d each", len(st.Contacts), len(st.Deals), leads)
	}
}

// TestOutageIsToldOnceItEnds: the CRM refusing every call for two hours is
// told to Options.Outage (the daemon's metric, read by syncd status) with
// since when, the log has a line per failed call, backing off (not one per
// operation per run), and the end is said once at info when a call goes
// through. Before, nothing but the log knew of the outage, and its end
// was silent. The jitter is pinned at its worst (every wait taken down by
// half, the most tries): with it random the count varied from run to run
// around the bound it was checked against, and CI failed on 21 of 20.
func TestOutageIsToldOnceItEnds(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	var told []time.Time
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.RetryBase, o.RetryMax = 30*time.Second, time.Hour
		o.Log = zerolog.New(&logs).Level(zerolog.InfoLevel)
		o.Outage = func(since, _ time.Time, _ string) { told = append(told, since) }
		o.Jitter = func(time.Duration) time.Duration { return 0 } // the shortest waits
	})
	r.srv.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	down := r.clk.Now()
	for i := range 120 { // two hours, a tick a minute, a lead every ten
		if i%10 == 0 {
			enqueueLeads(t, r.db, hubspot.Name, i, i+1)
		}
		if _, err := r.s.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		r.clk.Advance(time.Minute)
	}
	night := logs.String()
	// The back-off reaches its longest wait (CoolMax, 10 minutes, at
	// worst halved: 5) after six tries; then a try every 5 minutes at most.
	if n := strings.Count(night, "\n"); n == 0 || n > 6+2*12 {
		t.Fatalf("%d log lines in two hours of outage, want a few:\n%s", n, night)
	}
	if len(told) == 0 || !told[0].Equal(down) || !told[len(told)-1].Equal(down) {
		t.Fatalf("outage told %v, want since %v", told, down)
	}
	r.srv.ClearFaults()
	r.clk.Advance(time.Hour)
	r.drain(t, 5)
	if !told[len(told)-1].IsZero() {
		t.Fatalf("outage told %v: its end was not", told)
	}
	after := strings.TrimPrefix(logs.String(), night)
	if strings.Count(after, "crm answering again") != 1 || !strings.Contains(after, `"level":"info"`) {
		t.Fatalf("the end of the outage said %d times, want once at info:\n%s", strings.Count(after, "crm answering again"), after)
	}
}

// TestOutageOverWhenAnotherProcessSentWhatWaited: the daemon cooling down
// in an outage while the operator's `syncd sync` sent what waited: its
// next run found nothing to send, made no call, and kept telling the
// outage (syncd status: CRM FAILING, exit 5) until the next lead. A run
// with nothing left waiting ends it.
func TestOutageOverWhenAnotherProcessSentWhatWaited(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	down := newMemCRM()
	down.fail = func(syncd.RecordKind, string) error {
		return &syncd.CRMError{Status: 503, Message: "service unavailable", Class: syncd.ErrRetry}
	}
	var told []time.Time
	daemon := newSyncer(t, db, down, clk, func(o *syncer.Options) {
		o.Outage = func(since, _ time.Time, _ string) { told = append(told, since) }
	})
	enqueueLeads(t, db, "mem", 0, 3)
	if sum, err := daemon.RunOnce(ctx); err != nil || sum.CoolingUntil.IsZero() {
		t.Fatalf("run into the outage = %+v, %v", sum, err)
	}
	if sum, err := newSyncer(t, db, newMemCRM(), clk, nil).RunOnce(ctx); err != nil || sum.Done != 6 {
		t.Fatalf("the operator's sync = %+v, %v", sum, err)
	}
	clk.Advance(time.Hour)
	if sum, err := daemon.RunOnce(ctx); err != nil || sum.Calls != 0 || !sum.Clean() {
		t.Fatalf("the daemon's run after = %+v, %v", sum, err)
	}
	if len(told) != 2 || told[0].IsZero() || !told[1].IsZero() {
		t.Fatalf("outage told %v; want since when, then its end", told)
	}
}

// TestCRMBackIsNoticedWithinMinutes: after a night of outage the tries had
// backed off to one an hour (30 to 60 minutes with the jitter), so the
// leads of the night reached a CRM back at six only towards seven. Calls
// into an outage back off to 10 minutes at most (unless the CRM's
// Retry-After asks for longer).
func TestCRMBackIsNoticedWithinMinutes(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.RetryBase, o.RetryMax = 30*time.Second, time.Hour // the defaults
	})
	r.srv.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	enqueueLeads(t, r.db, hubspot.Name, 0, 20)
	ctx := context.Background()
	tick := func() syncer.Summary {
		t.Helper()
		sum, err := r.s.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r.clk.Advance(time.Minute)
		return sum
	}
	for range 8 * 60 {
		tick()
	}
	r.srv.ClearFaults()
	for minute := 1; countStates(allOps(t, r.db))[syncd.OpPending] > 0; minute++ {
		if minute > 11 {
			t.Fatalf("the CRM back for %d minutes, the leads still wait: %v", minute-1, countStates(allOps(t, r.db)))
		}
		tick()
	}
	if dead := r.check(t); len(dead) != 0 {
		t.Fatalf("%d dead", len(dead))
	}
}

// TestOutageIsToldOnceTheOperationsAreReleased: a whole call failing (the
// CRM answering 503) was told to Options.Outage (the daemon's metric, what
// status reads) before the operations of the run were released in the
// store: the batch that failed and the one claimed ahead were still
// leased then, so a process cut off from the database (PostgreSQL) or
// killed at that moment left them to wait out the lease (5 minutes), and
// another instance could not send them. Now the store holds them released
// (due again, no lease) by the time the outage is told.
func TestOutageIsToldOnceTheOperationsAreReleased(t *testing.T) {
	t.Parallel()
	var r *rig
	var told int
	var leasedWhenTold []int64
	r = hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.Outage = func(since, _ time.Time, _ string) {
			if since.IsZero() {
				return
			}
			told++
			for _, op := range allOps(t, r.db) {
				if op.State == syncd.OpPending && op.LeaseUntil.After(r.clk.Now()) {
					leasedWhenTold = append(leasedWhenTold, op.ID)
				}
			}
		}
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 250) // contacts in three batches: one claimed ahead
	r.srv.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	sum, err := r.s.RunOnce(context.Background())
	if err != nil || sum.CoolingUntil.IsZero() {
		t.Fatalf("run into the outage = %+v, %v", sum, err)
	}
	if told != 1 || len(leasedWhenTold) != 0 {
		t.Fatalf("outage told %d times; %d operations still leased when told (first %v), want none",
			told, len(leasedWhenTold), leasedWhenTold[:min(len(leasedWhenTold), 3)])
	}
}

// TestOutageEndedByARefusalSaysSoNotSending: the CRM back after an outage
// but refusing the token (revoked meanwhile: a 401 pauses the adapter)
// ended the outage with "crm answering again: sending what waited", the
// line before "crm adapter paused": nothing was sent, nor would be until
// the pause ends. The end is said with the pause.
func TestOutageEndedByARefusalSaysSoNotSending(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.Log = zerolog.New(&logs).Level(zerolog.InfoLevel)
		o.Jitter = func(time.Duration) time.Duration { return 0 }
	})
	r.srv.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	enqueueLeads(t, r.db, hubspot.Name, 0, 1)
	if _, err := r.s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.srv.ClearFaults()
	r.srv.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 401})
	r.clk.Advance(time.Hour)
	if _, err := r.s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "crm adapter paused") {
		t.Fatalf("no pause for the 401:\n%s", out)
	}
	if strings.Contains(out, "sending what waited") || !strings.Contains(out, "crm answering again, but its answer paused the adapter (crm adapter paused): nothing is sent until the pause ends") {
		t.Errorf("the outage's end, the CRM refusing the token, is not said with the pause:\n%s", out)
	}
}
