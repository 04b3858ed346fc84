package hubspot_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

const (
	contactsUpsert = "/crm/v3/objects/contacts/batch/upsert"
	dealsUpsert    = "/crm/v3/objects/deals/batch/upsert"
	assocBatch     = "/crm/v4/associations/deals/contacts/batch/associate/default"
)

// TestFaultSchedulesLeaveNoDuplicates runs each fault of docs/crm-contracts.md
// against the write paths and checks the fake holds exactly one contact per
// email and one deal per lead afterwards.
func TestFaultSchedulesLeaveNoDuplicates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		faults []crmfake.Fault
	}{
		{"429 retry-after seconds", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActRateLimit, RetryAfter: "0", Uses: 2}}},
		{"429 retry-after date", []crmfake.Fault{{Path: dealsUpsert, Action: crmfake.ActRateLimit, RetryAfter: time.Now().UTC().Format(http.TimeFormat), Uses: 1}}},
		{"429 without retry-after", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActError, Status: 429, Uses: 3}}},
		{"500 json", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActError, Status: 500, Uses: 2}}},
		{"502 html", []crmfake.Fault{{Path: dealsUpsert, Action: crmfake.ActError, Status: 502, HTML: true, Uses: 2}}},
		{"503 then 504", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActError, Status: 503, Uses: 1}, {Path: "/crm/**", Action: crmfake.ActError, Status: 504, Uses: 2}}},
		{"apply then 502", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActApplyThenError, Uses: 2}, {Path: dealsUpsert, Action: crmfake.ActApplyThenError, Uses: 2}}},
		{"apply then hang", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActApplyThenHang, Uses: 1}, {Path: dealsUpsert, Action: crmfake.ActApplyThenHang, Nth: 2, Uses: 1}}},
		{"apply then drop", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActApplyThenDrop, Uses: 2}, {Path: dealsUpsert, Action: crmfake.ActApplyThenDrop, Uses: 1}, {Path: assocBatch, Action: crmfake.ActApplyThenDrop, Uses: 1}}},
		{"drop before apply", []crmfake.Fault{{Path: "/crm/**", Action: crmfake.ActDrop, Uses: 3}}},
		{"slow with jitter", []crmfake.Fault{{Path: "/crm/**", Action: crmfake.ActSlow, Delay: 20 * time.Millisecond, Jitter: 10 * time.Millisecond, Uses: 4}}},
		{"truncated json", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActTruncate, Uses: 1}, {Path: dealsUpsert, Action: crmfake.ActTruncate, Uses: 1}}},
		{"malformed json", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActMalformed, Uses: 1}, {Path: assocBatch, Action: crmfake.ActMalformed, Uses: 1}}},
		{"207 partial batch", []crmfake.Fault{{Path: contactsUpsert, Action: crmfake.ActPartial, Uses: 1}}},
		{"random 20%", []crmfake.Fault{{Path: "/crm/**", Action: crmfake.ActApplyThenError, Probability: 0.2}, {Path: "/crm/**", Action: crmfake.ActDrop, Probability: 0.1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, a := setup(t, crmfake.Options{Seed: 7}, hubspot.Options{})
			for _, f := range tc.faults {
				srv.AddFault(f)
			}
			cs, ds := leads(120)
			cr, dr := deliver(t, a, cs, ds, 30)
			partial := tc.name == "207 partial batch"
			if partial {
				// The input the fake failed is permanent: dead-lettered with the CRM's message.
				for i, r := range cr {
					var ce *syncd.CRMError
					if r.Err != nil && errors.As(r.Err, &ce) && ce.Class == syncd.ErrPermanent && ce.Message != "" {
						cr[i] = a.UpsertContacts(context.Background(), cs[i:i+1])[0] // the operator retries it
					}
				}
				_, dr = deliver(t, a, cs, ds, 3)
			}
			checkClean(t, srv, len(cs), cr, dr)
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
		code  string
		after time.Duration // minimum RetryAfter
	}{
		{"401 expired", crmfake.Fault{Action: crmfake.ActError, Status: 401}, syncd.ErrAuth, "EXPIRED_AUTHENTICATION", 0},
		{"403 scope", crmfake.Fault{Action: crmfake.ActError, Status: 403}, syncd.ErrAuth, "MISSING_SCOPES", 0},
		{"daily", crmfake.Fault{Action: crmfake.ActDailyLimit}, syncd.ErrDailyLimit, "DAILY", time.Second},
		{"retry-after past cap", crmfake.Fault{Action: crmfake.ActRateLimit, RetryAfter: "3600"}, syncd.ErrRetry, "TEN_SECONDLY_ROLLING", time.Hour},
		{"retry-after date past cap", crmfake.Fault{Action: crmfake.ActRateLimit, RetryAfter: time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat)}, syncd.ErrRetry, "TEN_SECONDLY_ROLLING", time.Hour},
		{"persistent 503", crmfake.Fault{Action: crmfake.ActError, Status: 503}, syncd.ErrRetry, "INTERNAL_ERROR", 0},
		{"hang", crmfake.Fault{Action: crmfake.ActHang}, syncd.ErrRetry, "NETWORK", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// A short timeout for the hang case's three attempts: one
			// contact's call takes far less, even under the race detector.
			srv, a := setup(t, crmfake.Options{}, hubspot.Options{HTTP: crm.Options{RetryMax: 2, RetryAfterCap: time.Second, Timeout: 300 * time.Millisecond}})
			srv.AddFault(tc.fault)
			c, _ := lead(1)
			r := a.UpsertContacts(context.Background(), []syncd.Contact{c})[0]
			var ce *syncd.CRMError
			if !errors.As(r.Err, &ce) {
				t.Fatalf("err %v", r.Err)
			}
			if ce.Class != tc.class || ce.Code != tc.code || ce.RetryAfter < tc.after {
				t.Fatalf("got class %v code %q retry-after %v; want %v %q >=%v", ce.Class, ce.Code, ce.RetryAfter, tc.class, tc.code, tc.after)
			}
			if len(srv.State().Contacts) != 0 {
				t.Fatal("write applied")
			}
		})
	}
}

func TestBadTokenIsAuth(t *testing.T) {
	t.Parallel()
	_, a := setup(t, crmfake.Options{}, hubspot.Options{Token: "wrong"})
	c, _ := lead(1)
	r := a.UpsertContacts(context.Background(), []syncd.Contact{c})[0]
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrAuth || ce.Code != "INVALID_AUTHENTICATION" || ce.Status != 401 {
		t.Fatalf("got %+v", r.Err)
	}
}

// TestPhoneOnlyContactGuardedCreate loses the answer of a create while
// search lags: the adapter must wait for search rather than create twice.
func TestPhoneOnlyContactGuardedCreate(t *testing.T) {
	t.Parallel()
	links := &crm.MemLinks{}
	srv, a := setup(t, crmfake.Options{SearchLag: 150 * time.Millisecond}, hubspot.Options{Links: links, SearchLag: 200 * time.Millisecond})
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts", Action: crmfake.ActApplyThenDrop, Uses: 1})
	c := syncd.Contact{Key: "+4520304050", Phone: "+4520304050", Properties: map[string]string{"firstname": "Phone"}}
	ctx := context.Background()
	var r syncd.Result
	deadline := time.Now().Add(3 * time.Second)
	for attempts := 0; time.Now().Before(deadline); attempts++ {
		r = a.UpsertContacts(ctx, []syncd.Contact{c})[0]
		if r.Err == nil {
			break
		}
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrWait {
			t.Fatalf("attempt %d: %v", attempts, r.Err)
		}
		time.Sleep(30 * time.Millisecond)
	}
	if r.Err != nil || r.ID == "" {
		t.Fatalf("never delivered: %+v", r)
	}
	st := srv.State()
	if len(st.Contacts) != 1 || len(st.Duplicates()) > 0 {
		t.Fatalf("contacts %+v", st.Contacts)
	}
	if id, _ := links.Link(ctx, hubspot.Name, syncd.RecordContact, c.Key); id != r.ID {
		t.Fatalf("link %q, want %q", id, r.ID)
	}
}

func TestPhoneOnlyContactByUniqueProperty(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{ContactKeyProperty: "syncd_contact_key"})
	srv.AddFault(crmfake.Fault{Path: contactsUpsert, Action: crmfake.ActApplyThenDrop, Uses: 1})
	c := syncd.Contact{Key: "+4520304050", Phone: "+4520304050", Properties: map[string]string{"firstname": "Phone"}}
	cr, _ := deliver(t, a, []syncd.Contact{c, c}, nil, 3)
	if cr[0].Err != nil || cr[0].ID != cr[1].ID {
		t.Fatalf("results %+v", cr)
	}
	if st := srv.State(); len(st.Contacts) != 1 || st.Contacts[0].Properties["syncd_contact_key"] != c.Key {
		t.Fatalf("contacts %+v", st.Contacts)
	}
}

// TestPhoneOnlyCreateIntentStampedWhenSent: the intent that guards a
// phone-only create is the moment the create went on the wire, after the
// rate limiter's wait, not the moment it was decided. A later attempt
// reckons the search lag from it: stamped before a long wait, it would let
// that attempt search too early, find nothing and create a second contact.
func TestPhoneOnlyCreateIntentStampedWhenSent(t *testing.T) {
	// Not parallel: it asserts a gap under 150 ms in wall time, which other tests' CPU would disturb.
	links := &crm.MemLinks{}
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{Links: links, SearchLag: time.Second,
		HTTP: crm.Options{RateLimit: 1, RateInterval: 400 * time.Millisecond}})
	c := syncd.Contact{Key: "+4520304051", Phone: "+4520304051", Properties: map[string]string{"firstname": "Phone"}}
	ctx := context.Background()
	r := a.UpsertContacts(ctx, []syncd.Contact{c})[0] // a search, then the create, one window later
	if r.Err != nil || r.ID == "" {
		t.Fatalf("result %+v", r)
	}
	sent, err := links.Intent(ctx, hubspot.Name, syncd.RecordContact, c.Key)
	if err != nil || sent.IsZero() {
		t.Fatalf("intent %v, %v", sent, err)
	}
	st := srv.State()
	if len(st.Contacts) != 1 {
		t.Fatalf("%d contacts", len(st.Contacts))
	}
	if early := st.Contacts[0].CreatedAt.Sub(sent); early > 150*time.Millisecond {
		t.Errorf("intent stamped %v before the create reached HubSpot: before the limiter's wait of about 400ms", early)
	}
}
