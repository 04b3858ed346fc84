package syncer_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestNonUniqueLeadIDPausesThenResumes: syncd_lead_id exists without
// unique values. The adapter pauses with an alarm naming the property and
// `syncd crm check`, nothing is dead-lettered; while the check fails it
// stays paused, and once the property is fixed it resumes by itself.
func TestNonUniqueLeadIDPausesThenResumes(t *testing.T) {
	t.Parallel()
	var check func(ctx context.Context) error
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.Check = func(ctx context.Context) error { return check(ctx) }
	})
	a := hubspot.New(hubspot.Options{BaseURL: r.srv.BaseURL(), Token: fakeToken, HTTP: crm.Options{RateLimit: -1}})
	check = func(ctx context.Context) error {
		fs, err := a.Check(ctx, nil)
		if err == nil && syncd.Failed(fs) {
			err = errors.New(fs[0].Name + ": " + fs[0].Problem)
		}
		return err
	}
	r.srv.SetProperty("deals", crmfake.Property{Name: "syncd_lead_id", Label: "Lead id", Type: "string", FieldType: "text"})
	enqueueLeads(t, r.db, hubspot.Name, 0, 200)
	sum, err := r.s.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Dead != 0 || sum.PausedUntil.IsZero() || !strings.Contains(sum.PauseReason, "syncd_lead_id") ||
		!strings.Contains(sum.PauseReason, "syncd crm check") {
		t.Fatalf("summary %+v", sum)
	}
	if n := r.srv.CountRequests("POST", "/crm/v3/objects/deals/batch/upsert", 0); n != 1 {
		t.Fatalf("%d deal batches sent, want 1 (then paused)", n)
	}
	r.clk.Advance(sum.PausedUntil.Sub(r.clk.Now()) + 1)
	again, _ := r.s.RunOnce(context.Background())
	if again.PausedUntil.IsZero() || again.Calls != 0 || !strings.Contains(again.PauseReason, "check failing") {
		t.Fatalf("with the check failing: %+v", again)
	}
	for _, s := range []syncer.Summary{sum, again} {
		if h := syncer.ResumeHint(s.PauseKind); !strings.Contains(h, "resumes by itself once the check passes") {
			t.Errorf("a configuration pause (%s, %s) is told %q", s.PauseKind, s.PauseReason, h)
		}
	}
	r.srv.SetProperty("deals", crmfake.Property{Name: "syncd_lead_id", Label: "Lead id", Type: "string", FieldType: "text", HasUniqueValue: true})
	r.clk.Advance(again.PausedUntil.Sub(r.clk.Now()) + 1)
	r.drain(t, 10)
	if dead := r.check(t); len(dead) != 0 {
		t.Fatalf("dead: %+v", dead)
	}
}

// TestRecordsOwnInvalidOptionDeadLettersAfterCheck: a lead alone in its
// batch with a stage of its own making pauses the adapter once; the check
// passes (the mappings' stages exist), so the next refusal is the
// record's: it is dead-lettered instead of pausing again.
func TestRecordsOwnInvalidOptionDeadLettersAfterCheck(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{Stages: []string{"appointmentscheduled"}}, hubspot.Options{}, func(o *syncer.Options) {
		o.Check = func(context.Context) error { return nil }
	})
	enqueueLeadsWith(t, r.db, hubspot.Name, 0, 1, func(i int, c, d *syncd.Op) { d.Properties["dealstage"] = "payload-stage" })
	r.drain(t, 10)
	dead := r.check(t)
	if len(dead) != 1 || !strings.Contains(dead[0].LastError, "INVALID_OPTION") {
		t.Fatalf("dead %+v", dead)
	}
	// Later, the same refusal may be the account's again: it pauses.
	r.clk.Advance(time.Hour)
	enqueueLeadsWith(t, r.db, hubspot.Name, 1, 2, func(i int, c, d *syncd.Op) { d.Properties["dealstage"] = "payload-stage" })
	if sum, _ := r.s.RunOnce(context.Background()); sum.PausedUntil.IsZero() || sum.Dead != 0 {
		t.Fatalf("an hour later: %+v", sum)
	}
}

// TestAuthPauseEndsWithoutCheck: a rejected token's pause ends with its
// next call, as before; only configuration pauses wait for the check.
func TestAuthPauseEndsWithoutCheck(t *testing.T) {
	t.Parallel()
	checks := 0
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{Token: "wrong"}, func(o *syncer.Options) {
		o.Check = func(context.Context) error { checks++; return errors.New("failing") }
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 3)
	sum, _ := r.s.RunOnce(context.Background())
	if sum.PausedUntil.IsZero() || !strings.Contains(sum.PauseReason, "authentication") {
		t.Fatalf("%+v", sum)
	}
	r.clk.Advance(sum.PausedUntil.Sub(r.clk.Now()) + 1)
	again, _ := r.s.RunOnce(context.Background())
	if checks != 0 || again.Calls == 0 {
		t.Fatalf("%d checks, %d calls after the auth pause", checks, again.Calls)
	}
}

// TestPipedriveMissingFieldPausesThenResumes: a mapping names a deal
// field the account lacks. The adapter pauses naming it, nothing is
// dead-lettered; once the field is made, the check (which re-reads the
// fields) passes and every lead goes out with it.
func TestPipedriveMissingFieldPausesThenResumes(t *testing.T) {
	t.Parallel()
	clk := newClock()
	db := openDB(t, clk)
	srv := crmfake.New(crmfake.Options{Kind: crmfake.KindPipedrive, Token: fakeToken, StrictSchema: true})
	srv.AddField("person", crmfake.Field{Name: "firstname", Type: "varchar"})
	srv.AddField("deal", crmfake.Field{Name: "dealname", Type: "varchar"})
	base := srv.Start()
	t.Cleanup(func() { _ = srv.Close() })
	a := pipedrive.New(pipedrive.Options{BaseURL: base, Token: fakeToken, LeadIDField: "syncd lead id", Links: db,
		HTTP: crm.Options{RateLimit: -1, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}})
	spec := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "Location"}}
	s := newSyncer(t, db, a, clk, func(o *syncer.Options) {
		o.Check = func(ctx context.Context) error {
			if err := a.Resolve(ctx); err != nil {
				return err
			}
			if fs, err := a.Check(ctx, spec); err != nil || syncd.Failed(fs) {
				return errors.New("failing")
			}
			return nil
		}
	})
	r := &rig{clk: clk, db: db, srv: srv, s: s, settle: 10 * time.Millisecond}
	enqueueLeadsWith(t, db, pipedrive.Name, 0, 5, func(i int, c, d *syncd.Op) { d.Properties["Location"] = "Aebelogade" })
	sum, _ := s.RunOnce(context.Background())
	if sum.Dead != 0 || sum.PausedUntil.IsZero() || !strings.Contains(sum.PauseReason, "Location") {
		t.Fatalf("summary %+v", sum)
	}
	if n := strings.Count(sum.PauseReason, "run `syncd crm check`"); n != 1 { // status and the report show it
		t.Fatalf("the reason says run syncd crm check %d times: %s", n, sum.PauseReason)
	}
	srv.AddField("deal", crmfake.Field{Name: "Location", Type: "varchar"})
	r.drain(t, 10)
	if dead := r.check(t); len(dead) != 0 {
		t.Fatalf("dead %+v", dead)
	}
	if d := srv.State().Deals[0]; !slices.Contains(mapsValues(d.Properties), "Aebelogade") {
		t.Fatalf("deal %v", d.Properties)
	}
}

func mapsValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestRecheckSendsWaitingLeadsAtOnce: once the account is fixed, the check
// after SIGHUP (Recheck) lifts the pause and the waiting leads go out at
// once, not at the next scheduled run (an hour away here; they waited for
// it).
func TestRecheckSendsWaitingLeadsAtOnce(t *testing.T) {
	t.Parallel()
	var check func(ctx context.Context) error
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.Check = func(ctx context.Context) error { return check(ctx) }
		o.Schedule, o.NudgeDelay = "@every 1h", 10*time.Millisecond
	})
	a := hubspot.New(hubspot.Options{BaseURL: r.srv.BaseURL(), Token: fakeToken, HTTP: crm.Options{RateLimit: -1}})
	check = func(ctx context.Context) error {
		if fs, err := a.Check(ctx, nil); err != nil || syncd.Failed(fs) {
			return errors.New("failing")
		}
		return nil
	}
	r.srv.SetProperty("deals", crmfake.Property{Name: "syncd_lead_id", Label: "Lead id", Type: "string", FieldType: "text"})
	enqueueLeads(t, r.db, hubspot.Name, 0, 3)
	if sum, err := r.s.RunOnce(context.Background()); err != nil || sum.PausedUntil.IsZero() {
		t.Fatalf("not paused: %+v %v", sum, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.s.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	time.Sleep(100 * time.Millisecond) // Run's first run, still paused
	r.srv.SetProperty("deals", crmfake.Property{Name: "syncd_lead_id", Label: "Lead id", Type: "string", FieldType: "text", HasUniqueValue: true})
	if err := r.s.Recheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for countStates(allOps(t, r.db))[syncd.OpDone] != 6 {
		if time.Now().After(deadline) {
			t.Fatalf("after Recheck: %v", countStates(allOps(t, r.db)))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
