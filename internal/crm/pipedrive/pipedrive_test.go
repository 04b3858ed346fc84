package pipedrive_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

const token = "pd-test-token"

func setup(t *testing.T, fo crmfake.Options, ao pipedrive.Options) (*crmfake.Server, *pipedrive.Adapter, *crm.MemLinks) {
	t.Helper()
	fo.Kind, fo.Token = crmfake.KindPipedrive, token
	srv := newFake(fo)
	ao.BaseURL = srv.Start()
	t.Cleanup(func() { _ = srv.Close() })
	if ao.Token == "" {
		ao.Token = token
	}
	ao.LeadIDField = crmfake.DefaultPipedriveLeadField
	links := &crm.MemLinks{}
	ao.Links = links
	if ao.HTTP.Timeout == 0 {
		// Long enough for a batch of 100 under the race detector on a
		// loaded machine (300 ms failed CI there); tests of hangs that
		// wait it out several times set a shorter one.
		ao.HTTP.Timeout = 2 * time.Second
	}
	ao.HTTP.RetryWaitMin, ao.HTTP.RetryWaitMax = 2*time.Millisecond, 20*time.Millisecond
	if ao.HTTP.RateLimit == 0 {
		ao.HTTP.RateLimit = -1
	}
	if ao.Settle == 0 {
		ao.Settle = 100 * time.Millisecond
	}
	if ao.ClockSkew == 0 {
		ao.ClockSkew = time.Millisecond // one clock: crmfake's and ours
	}
	return srv, pipedrive.New(ao), links
}

// newFake is crmfake's Pipedrive with fo, given custom fields named as
// crmtest.Leads's HubSpot properties, so that their leads are accepted.
func newFake(fo crmfake.Options) *crmfake.Server {
	srv := crmfake.New(fo)
	srv.AddField("person", crmfake.Field{Name: "firstname", Type: "varchar"}) // the leads' HubSpot names, as custom fields
	srv.AddField("deal", crmfake.Field{Name: "dealname", Type: "varchar"})
	return srv
}

// deliver resends until done, pausing between rounds as the syncer's
// back-off would, so guarded creates can settle: 40 rounds, and past them
// for up to 20 s while a record only waits (a create in doubt until a
// fresh list shows it), as the syncer would go on. Counted in rounds
// alone, a loaded machine (the whole suite beside it) left the soak's
// one create in doubt "sent 4s ago" when the rounds ran out, though
// nothing was wrong; a failure that is not a wait still ends at 40.
func deliver(t *testing.T, a syncd.CRM, cs []syncd.Contact, ds []syncd.Deal) (cr, dr []syncd.Result) {
	t.Helper()
	ctx := context.Background()
	start := time.Now()
	cr, dr = crmtest.Deliver(ctx, a, cs, ds, 5)
	for round := 0; (failing(cr) || failing(dr)) && (round < 40 || time.Since(start) < 20*time.Second && waiting(cr, dr)); round++ {
		time.Sleep(40 * time.Millisecond)
		c2, d2 := crmtest.Deliver(ctx, a, cs, ds, 3)
		cr, dr = c2, d2
	}
	return cr, dr
}

// waiting reports whether every failure in cr and dr is a wait
// (syncd.ErrWait: a create not settled or in doubt), which more time ends.
func waiting(cr, dr []syncd.Result) bool {
	for _, r := range append(append([]syncd.Result{}, cr...), dr...) {
		var ce *syncd.CRMError
		if r.Err != nil && (!errors.As(r.Err, &ce) || ce.Class != syncd.ErrWait) {
			return false
		}
	}
	return true
}

func failing(rs []syncd.Result) bool {
	for _, r := range rs {
		if r.Err != nil {
			return true
		}
	}
	return false
}

func TestUpsertCreatesThenReuses(t *testing.T) {
	t.Parallel()
	srv, a, links := setup(t, crmfake.Options{}, pipedrive.Options{})
	cs, ds := crmtest.Leads(30)
	cr, dr := crmtest.Deliver(context.Background(), a, cs, ds, 1)
	crmtest.CheckClean(t, srv, 30, cr, dr)
	posts := srv.CountRequests("POST", "/api/v2/", 0)
	// Resent as a whole: every record is updated by its linked id; nothing is created.
	cr2, dr2 := crmtest.Deliver(context.Background(), a, cs, ds, 1)
	crmtest.CheckClean(t, srv, 30, cr2, dr2)
	if n := srv.CountRequests("POST", "/api/v2/", 0); n != posts {
		t.Fatalf("resend made %d POSTs", n-posts)
	}
	if id, _ := links.Link(context.Background(), pipedrive.Name, syncd.RecordDeal, ds[3].LeadID); id != dr[3].ID {
		t.Fatalf("deal link %q, want %q", id, dr[3].ID)
	}
	st := srv.State()
	d := st.DealsByLead[ds[3].LeadID][0]
	if d.ContactIDs[0] != cr[3].ID || d.Properties["title"] != "Lead 3" {
		t.Fatalf("deal %+v", d)
	}
}

func TestFindsExistingPersonBySearch(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	cs, _ := crmtest.Leads(1)
	id := srv.AddContact(crmfake.Record{Email: cs[0].Email, Properties: map[string]string{"name": "Old"}})
	r := a.UpsertContacts(context.Background(), cs)[0]
	if r.Err != nil || r.ID != id {
		t.Fatalf("got %+v, want id %s", r, id)
	}
	if st := srv.State(); len(st.Contacts) != 1 || st.Contacts[0].Properties["name"] != "Lead 0" {
		t.Fatalf("contacts %+v", st.Contacts)
	}
}

// TestLostAnswersWithSearchLag loses the answers of creates while search
// lags behind: the adapter must neither duplicate persons nor deals.
func TestLostAnswersWithSearchLag(t *testing.T) {
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
		{"deal create: malformed", []crmfake.Fault{{Method: "POST", Path: "/api/v2/deals", Action: crmfake.ActMalformed, Uses: 3}}},
		{"search 503 and 429", []crmfake.Fault{{Path: "/api/v2/persons/search", Action: crmfake.ActError, Status: 503, Uses: 3}, {Path: "/api/v2/**", Action: crmfake.ActRateLimit, RetryAfter: "0", Uses: 3}}},
		{"drop before apply", []crmfake.Fault{{Path: "/api/v2/**", Action: crmfake.ActDrop, Uses: 5}}},
		{"html 502 and 504", []crmfake.Fault{{Path: "/api/v2/**", Action: crmfake.ActError, Status: 502, HTML: true, Uses: 3}, {Path: "/api/v2/**", Action: crmfake.ActError, Status: 504, Uses: 2}}},
		{"random 20%", []crmfake.Fault{{Path: "/api/v2/**", Action: crmfake.ActApplyThenError, Probability: 0.15}, {Path: "/api/v2/**", Action: crmfake.ActApplyThenDrop, Probability: 0.05}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, a, _ := setup(t, crmfake.Options{SearchLag: 80 * time.Millisecond, Seed: 3}, pipedrive.Options{})
			for _, f := range tc.faults {
				srv.AddFault(f)
			}
			cs, ds := crmtest.Leads(12)
			cr, dr := deliver(t, a, cs, ds)
			crmtest.CheckClean(t, srv, 12, cr, dr)
			fired := 0
			for _, f := range srv.Faults() {
				fired += f.Fired
			}
			if fired == 0 {
				t.Fatal("no fault fired")
			}
		})
	}
}

func TestClassification(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fault crmfake.Fault
		class syncd.ErrClass
	}{
		{"401", crmfake.Fault{Action: crmfake.ActError, Status: 401}, syncd.ErrAuth},
		{"403 json", crmfake.Fault{Action: crmfake.ActError, Status: 403}, syncd.ErrAuth},
		{"402", crmfake.Fault{Action: crmfake.ActError, Status: 402}, syncd.ErrAuth},
		{"403 html edge", crmfake.Fault{Action: crmfake.ActError, Status: 403, HTML: true}, syncd.ErrRetry},
		{"400", crmfake.Fault{Action: crmfake.ActError, Status: 400}, syncd.ErrPermanent},
		{"422", crmfake.Fault{Action: crmfake.ActError, Status: 422}, syncd.ErrPermanent},
		{"daily", crmfake.Fault{Action: crmfake.ActDailyLimit}, syncd.ErrDailyLimit},
		{"503", crmfake.Fault{Action: crmfake.ActError, Status: 503}, syncd.ErrRetry},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{HTTP: crm.Options{RetryMax: 1}})
			srv.AddFault(tc.fault)
			cs, _ := crmtest.Leads(1)
			r := a.UpsertContacts(context.Background(), cs)[0]
			if r.Err == nil || crmtest.Class(r.Err) != tc.class {
				t.Fatalf("got %v (class %v), want class %v", r.Err, crmtest.Class(r.Err), tc.class)
			}
			if len(srv.State().Contacts) != 0 {
				t.Fatal("write applied")
			}
		})
	}
}

func TestDealWaitsForItsPerson(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	_, ds := crmtest.Leads(1)
	r := a.UpsertDeals(context.Background(), ds)[0]
	if crmtest.Class(r.Err) != syncd.ErrRetry || r.Err == nil {
		t.Fatalf("got %+v", r)
	}
	if n := srv.CountRequests("", "/api/v2/", 0); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}
