package syncer_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

const (
	fakeToken      = "pat-test-token"
	contactsUpsert = "/crm/v3/objects/contacts/batch/upsert"
	dealsUpsert    = "/crm/v3/objects/deals/batch/upsert"
	assocBatch     = "/crm/v4/associations/deals/contacts/batch/associate/default"
)

// rig is a syncer on a real database delivering to crmfake over HTTP
// through a real adapter, on a simulated clock.
type rig struct {
	clk *clock
	db  *sqlite.DB
	srv *crmfake.Server
	s   *syncer.Syncer
	// settle is real time left between runs, for adapters whose guards
	// wait out the CRM's search lag in real time.
	settle time.Duration
}

// hubspotRig starts crmfake as HubSpot and a syncer with the hubspot adapter.
func hubspotRig(t testing.TB, fo crmfake.Options, ho hubspot.Options, tweak func(*syncer.Options)) *rig {
	t.Helper()
	clk := newClock()
	db := openDB(t, clk)
	fo.Kind, fo.Token = crmfake.KindHubSpot, fakeToken
	if fo.Seed == 0 {
		fo.Seed = 7
	}
	srv := crmfake.New(fo)
	ho.BaseURL = srv.Start()
	t.Cleanup(func() { _ = srv.Close() })
	if ho.Token == "" {
		ho.Token = fakeToken
	}
	ho.Links = db
	if ho.HTTP.Timeout == 0 {
		ho.HTTP.Timeout = 300 * time.Millisecond
	}
	if ho.HTTP.RetryWaitMin == 0 {
		ho.HTTP.RetryWaitMin, ho.HTTP.RetryWaitMax = 2*time.Millisecond, 20*time.Millisecond
	}
	if ho.HTTP.RateLimit == 0 {
		ho.HTTP.RateLimit = -1
	}
	s := newSyncer(t, db, hubspot.New(ho), clk, func(o *syncer.Options) {
		o.AuthPause = time.Minute
		if tweak != nil {
			tweak(o)
		}
	})
	return &rig{clk: clk, db: db, srv: srv, s: s}
}

// drain plays the cron schedule on the simulated clock: a run, then a jump
// to when something can next be due (a back-off, a pause, a cool-down),
// until nothing is pending or rounds are spent. It returns the runs' total.
func (r *rig) drain(t testing.TB, rounds int) syncer.Summary {
	t.Helper()
	var total syncer.Summary
	for range rounds {
		sum, err := r.s.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		total.Calls += sum.Calls
		total.Done += sum.Done
		total.Retried += sum.Retried
		total.Dead += sum.Dead
		total.Released += sum.Released
		if countStates(allOps(t, r.db))[syncd.OpPending] == 0 {
			return total
		}
		next := r.clk.Now().Add(2 * time.Minute) // past RetryMax of newSyncer
		for _, u := range []time.Time{sum.PausedUntil, sum.CoolingUntil} {
			if u.After(next) {
				next = u
			}
		}
		r.clk.Advance(next.Sub(r.clk.Now()) + time.Second)
		time.Sleep(r.settle)
	}
	t.Fatalf("still pending after %d runs: %v", rounds, countStates(allOps(t, r.db)))
	return total
}

// check asserts the end state: every op done or dead with a reason, and
// the fake holding exactly one contact per email and one deal per lead for
// the ops done (with the CRM ids the outbox recorded, each deal associated
// with its lead's contact), and nothing else. It returns the dead ops.
func (r *rig) check(t testing.TB) []syncd.Op {
	t.Helper()
	st := r.srv.State()
	if d := st.Duplicates(); len(d) > 0 {
		t.Fatalf("duplicates in the CRM: %v", d)
	}
	contactID := map[string]string{}
	var dead, deals []syncd.Op
	for _, op := range allOps(t, r.db) {
		switch {
		case op.State == syncd.OpDead && op.LastError != "":
			dead = append(dead, op)
		case op.State != syncd.OpDone || op.CRMID == "":
			t.Fatalf("op neither done nor dead with a reason: %+v", op)
		case op.Kind == syncd.RecordContact:
			contactID[op.Key] = op.CRMID
			if rs := st.ContactsByEmail[op.Key]; len(rs) != 1 || rs[0].ID != op.CRMID {
				t.Fatalf("contact %s: CRM has %+v, outbox says %s", op.Key, rs, op.CRMID)
			}
		default:
			deals = append(deals, op)
		}
	}
	for _, op := range deals {
		rs := st.DealsByLead[op.Key]
		if len(rs) != 1 || rs[0].ID != op.CRMID || !slices.Equal(rs[0].ContactIDs, []string{contactID[op.ContactKey]}) {
			t.Fatalf("deal %s: CRM has %+v, outbox says %s with contact %s", op.Key, rs, op.CRMID, contactID[op.ContactKey])
		}
	}
	if len(st.Contacts) != len(contactID) || len(st.Deals) != len(deals) {
		t.Fatalf("CRM holds %d contacts and %d deals; outbox delivered %d and %d",
			len(st.Contacts), len(st.Deals), len(contactID), len(deals))
	}
	return dead
}

// TestHubSpotFaultSchedules runs each fault of docs/crm-contracts.md against the
// syncer and the hubspot adapter: afterwards every op is done or dead with
// its reason, and the fake holds one contact per email and one deal per lead.
func TestHubSpotFaultSchedules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		faults []crmfake.Fault
		dead   int // ops expected dead before the operator retries them
	}{
		{"429 retry-after seconds", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActRateLimit, RetryAfter: "1", Uses: 6}}, 0},
		{"429 retry-after past the cap", []crmfake.Fault{{Path: dealsUpsert, Action: crmfake.ActRateLimit, RetryAfter: "3600", Uses: 2}}, 0},
		{"429 retry-after date", []crmfake.Fault{{Path: dealsUpsert, Action: crmfake.ActRateLimit,
			RetryAfter: time.Now().Add(time.Second).UTC().Format(http.TimeFormat), Uses: 1}}, 0},
		{"429 without retry-after", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActError, Status: 429, Uses: 5}}, 0},
		{"500 json", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActError, Status: 500, Uses: 5}}, 0},
		{"502 html", []crmfake.Fault{{Path: dealsUpsert, Action: crmfake.ActError, Status: 502, HTML: true, Uses: 5}}, 0},
		{"503 then 504", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActError, Status: 503, Uses: 4},
			{Path: "/crm/**", Action: crmfake.ActError, Status: 504, Uses: 4}}, 0},
		{"apply then 502", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActApplyThenError, Uses: 4},
			{Path: dealsUpsert, Action: crmfake.ActApplyThenError, Uses: 4}}, 0},
		{"apply then hang", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActApplyThenHang, Uses: 1},
			{Path: dealsUpsert, Action: crmfake.ActApplyThenHang, Nth: 2, Uses: 1}}, 0},
		{"apply then drop", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActApplyThenDrop, Uses: 4},
			{Path: dealsUpsert, Action: crmfake.ActApplyThenDrop, Uses: 4}, {Path: assocBatch, Action: crmfake.ActApplyThenDrop, Uses: 4}}, 0},
		{"drop before apply", []crmfake.Fault{{Path: "/crm/**", Action: crmfake.ActDrop, Uses: 6}}, 0},
		{"slow with jitter", []crmfake.Fault{{Path: "/crm/**", Action: crmfake.ActSlow, Delay: 20 * time.Millisecond, Jitter: 10 * time.Millisecond, Uses: 4}}, 0},
		{"truncated json", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActTruncate, Uses: 1}, {Path: dealsUpsert, Action: crmfake.ActTruncate, Uses: 1}}, 0},
		{"malformed json", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActMalformed, Uses: 1}, {Path: assocBatch, Action: crmfake.ActMalformed, Uses: 1}}, 0},
		{"207 partial batch", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActPartial, Uses: 1}}, 2},
		{"401 expired token", []crmfake.Fault{{Path: dealsUpsert, Action: crmfake.ActError, Status: 401, Uses: 1}}, 0},
		{"403 missing scope", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActError, Status: 403, Uses: 1}}, 0},
		{"daily limit", []crmfake.Fault{{Path: contactsUpsert, Nth: 2, Action: crmfake.ActDailyLimit, Uses: 1}}, 0},
		{"random 20 percent", []crmfake.Fault{{Path: "/crm/**", Action: crmfake.ActApplyThenError, Probability: 0.2},
			{Path: "/crm/**", Action: crmfake.ActDrop, Probability: 0.1}}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, nil)
			for _, f := range tc.faults {
				r.srv.AddFault(f)
			}
			enqueueLeads(t, r.db, hubspot.Name, 0, 250)
			r.drain(t, 40)
			dead := r.check(t)
			if len(dead) != tc.dead {
				t.Fatalf("%d dead, want %d: %+v", len(dead), tc.dead, dead)
			}
			fired := 0
			for _, f := range r.srv.Faults() {
				fired += f.Fired
			}
			if fired == 0 {
				t.Fatal("no fault fired")
			}
			if len(dead) > 0 {
				// The operator retries the dead letters once the CRM is fine.
				if n, _, _, err := r.db.RetryAllDeadOps(context.Background(), ""); err != nil || n != len(dead) {
					t.Fatalf("retry all dead = %d, %v", n, err)
				}
				r.drain(t, 10)
				if dead := r.check(t); len(dead) != 0 {
					t.Fatalf("still dead after retry: %+v", dead)
				}
			}
			if st := r.srv.State(); len(st.Contacts) != 250 || len(st.Deals) != 250 {
				t.Fatalf("CRM holds %d contacts, %d deals; want 250 each", len(st.Contacts), len(st.Deals))
			}
		})
	}
}

// TestHubSpotValidationDeadLettersOne makes one deal invalid (unknown stage):
// only it is dead-lettered, with HubSpot's message; the rest is delivered.
// A stage may also be one deleted in HubSpot under the mappings, so the
// adapter leaves the verdict to the account check, wired as the daemon
// wires it: here it passes (no mapping writes that stage), so the stage is
// the deal's own.
func TestHubSpotValidationDeadLettersOne(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{Stages: []string{"appointmentscheduled"}}, hubspot.Options{},
		func(o *syncer.Options) { o.Check = func(context.Context) error { return nil } })
	enqueueLeadsWith(t, r.db, hubspot.Name, 0, 30, func(i int, c, d *syncd.Op) {
		if i == 17 {
			d.Properties["dealstage"] = "no-such-stage"
		}
	})
	r.drain(t, 20)
	dead := r.check(t)
	if len(dead) != 1 || dead[0].Key != leadID(17) || !strings.Contains(dead[0].LastError, "400") {
		t.Fatalf("dead = %+v", dead)
	}
	if st := r.srv.State(); len(st.Deals) != 29 {
		t.Fatalf("deals = %d, want 29", len(st.Deals))
	}
}

// TestHubSpotBadTokenPauses: with a wrong token nothing is dead-lettered;
// the adapter is paused, and once the token is right everything goes out.
func TestHubSpotBadTokenPauses(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{Token: "wrong"}, nil)
	enqueueLeads(t, r.db, hubspot.Name, 0, 50)
	sum, err := r.s.RunOnce(context.Background())
	if err != nil || sum.Calls != 1 || sum.Dead != 0 || sum.PausedUntil.IsZero() {
		t.Fatalf("run = %+v, %v", sum, err)
	}
	if p, err := r.db.AdapterPause(context.Background(), hubspot.Name); err != nil || p.Until.IsZero() || !strings.Contains(p.Reason, "401") || p.Kind != syncd.PauseToken {
		t.Fatalf("AdapterPause = %+v %v", p, err)
	} else if h := syncer.ResumeHint(p.Kind); !strings.Contains(h, "once fixed, run: syncd sync -resume") {
		t.Errorf("a rejected token's pause is told %q", h)
	}
	if n := r.srv.CountRequests("", "/crm/", 0); n != 1 {
		t.Fatalf("%d requests with a bad token, want 1", n)
	}
	// A restart with the right token resumes once the pause is over.
	good := hubspot.New(hubspot.Options{BaseURL: r.srv.BaseURL(), Token: fakeToken, Links: r.db,
		HTTP: crm.Options{RateLimit: -1, Timeout: time.Second}})
	r.s = newSyncer(t, r.db, good, r.clk, nil)
	r.drain(t, 5)
	if dead := r.check(t); len(dead) != 0 || len(r.srv.State().Deals) != 50 {
		t.Fatalf("dead %v, deals %d", dead, len(r.srv.State().Deals))
	}
}

// pipedriveRig starts crmfake as Pipedrive (with search lag) and a syncer
// with the pipedrive adapter, which keeps its links in the syncer's store
// (its options as tweak, if given, sets them).
func pipedriveRig(t testing.TB, fo crmfake.Options, tweak ...func(*pipedrive.Options)) *rig {
	t.Helper()
	clk := newClock()
	db := openDB(t, clk)
	fo.Kind, fo.Token = crmfake.KindPipedrive, fakeToken
	if fo.Seed == 0 {
		fo.Seed = 3
	}
	srv := crmfake.New(fo)
	srv.AddField("person", crmfake.Field{Name: "firstname", Type: "varchar"}) // the leads' HubSpot names, as custom fields
	srv.AddField("deal", crmfake.Field{Name: "dealname", Type: "varchar"})
	base := srv.Start()
	t.Cleanup(func() { _ = srv.Close() })
	po := pipedrive.Options{BaseURL: base, Token: fakeToken, LeadIDField: crmfake.DefaultPipedriveLeadField,
		Links: db, Settle: 100 * time.Millisecond, ClockSkew: time.Millisecond,
		HTTP: crm.Options{Timeout: 300 * time.Millisecond, RetryWaitMin: 2 * time.Millisecond, RetryWaitMax: 20 * time.Millisecond, RateLimit: -1}}
	for _, f := range tweak {
		f(&po)
	}
	a := pipedrive.New(po)
	s := newSyncer(t, db, a, clk, func(o *syncer.Options) { o.AuthPause = time.Minute; o.MaxAttempts = 30 })
	return &rig{clk: clk, db: db, srv: srv, s: s, settle: 40 * time.Millisecond}
}

// TestPipedriveFaultSchedules: Pipedrive has no uniqueness at all; lost
// answers of creates, with search lagging behind, must still leave one
// person per email and one deal per lead.
func TestPipedriveFaultSchedules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		faults []crmfake.Fault
	}{
		{"person create: apply then 502", []crmfake.Fault{{Method: "POST", Path: "/api/v2/persons", Action: crmfake.ActApplyThenError, Uses: 3}}},
		{"person create: apply then drop", []crmfake.Fault{{Method: "POST", Path: "/api/v2/persons", Action: crmfake.ActApplyThenDrop, Uses: 3}}},
		{"person create: apply then hang", []crmfake.Fault{{Method: "POST", Path: "/api/v2/persons", Action: crmfake.ActApplyThenHang, Uses: 2}}},
		{"deal create: apply then drop", []crmfake.Fault{{Method: "POST", Path: "/api/v2/deals", Action: crmfake.ActApplyThenDrop, Uses: 3}}},
		{"deal create: truncated", []crmfake.Fault{{Method: "POST", Path: "/api/v2/deals", Action: crmfake.ActTruncate, Uses: 3}}},
		{"search 503 and 429", []crmfake.Fault{{Path: "/api/v2/persons/search", Action: crmfake.ActError, Status: 503, Uses: 3},
			{Path: "/api/v2/**", Action: crmfake.ActRateLimit, RetryAfter: "0", Uses: 3}}},
		{"drop before apply", []crmfake.Fault{{Path: "/api/v2/**", Action: crmfake.ActDrop, Uses: 5}}},
		{"401 then fine", []crmfake.Fault{{Path: "/api/v2/deals", Method: "POST", Action: crmfake.ActError, Status: 401, Uses: 1}}},
		{"random 20 percent", []crmfake.Fault{{Path: "/api/v2/**", Action: crmfake.ActApplyThenError, Probability: 0.15},
			{Path: "/api/v2/**", Action: crmfake.ActApplyThenDrop, Probability: 0.05}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := pipedriveRig(t, crmfake.Options{SearchLag: 80 * time.Millisecond})
			for _, f := range tc.faults {
				r.srv.AddFault(f)
			}
			enqueueLeadsWith(t, r.db, pipedrive.Name, 0, 25, func(i int, c, d *syncd.Op) {
				c.Properties["name"] = c.Properties["firstname"]
				d.Properties = map[string]string{"title": d.Properties["dealname"]}
			})
			r.drain(t, 60)
			if dead := r.check(t); len(dead) != 0 {
				t.Fatalf("dead: %+v", dead)
			}
			if st := r.srv.State(); len(st.Contacts) != 25 || len(st.Deals) != 25 {
				t.Fatalf("CRM holds %d persons, %d deals; want 25 each", len(st.Contacts), len(st.Deals))
			}
			fired := 0
			for _, f := range r.srv.Faults() {
				fired += f.Fired
			}
			if fired == 0 {
				t.Fatal("no fault fired")
			}
		})
	}
}
