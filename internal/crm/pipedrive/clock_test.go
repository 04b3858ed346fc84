package pipedrive_test

import (
	"context"

	"github.com/syncd-dev/syncd/internal/syncd"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
)

// TestExactlyOnceWithTheHostsClockOff loses the answers of person creates
// while Pipedrive's search and lists lag, on a host whose clock is an hour
// ahead of Pipedrive's (a hardware clock kept in local time, NTP not
// running): Pipedrive's add_time is by its own clock, which its answers'
// Date header tells. A create never applied waited an hour in doubt,
// the list's lag read as an hour longer than it is.
func TestExactlyOnceWithTheHostsClockOff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		off    time.Duration
		object string
		action crmfake.Action
	}{
		{"ahead, person never applied", time.Hour, "persons", crmfake.ActDrop},
		{"ahead, person applied", time.Hour, "persons", crmfake.ActApplyThenDrop},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ours := func() time.Time { return time.Now().Add(tc.off) }
			srv, a, _ := setup(t,
				crmfake.Options{SearchLag: 1500 * time.Millisecond, ListLag: 1200 * time.Millisecond, Seed: 11},
				pipedrive.Options{Settle: 150 * time.Millisecond, Now: ours, HTTP: crm.Options{Now: ours}})
			srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/" + tc.object, Action: tc.action, Probability: 0.3})
			cs, ds := crmtest.Leads(12)
			cr, dr := deliverUntil(t, a, cs, ds, 20*time.Second)
			crmtest.CheckClean(t, srv, 12, cr, dr)
			if crmtest.Fired(srv) == 0 {
				t.Fatal("no answer was lost")
			}
		})
	}
}

// TestHostClockBehindMakesNoSecondPerson: on a host whose clock is an
// hour behind Pipedrive's, a person whose create's answer was lost, not
// listed yet, was made again: the list's lag, read against add_time by
// Pipedrive's clock, was negative, so a list without the record was
// taken for proof that it was never made.
func TestHostClockBehindMakesNoSecondPerson(t *testing.T) {
	t.Parallel()
	ours := func() time.Time { return time.Now().Add(-time.Hour) }
	srv, a, _ := setup(t, crmfake.Options{SearchLag: time.Minute, ListLag: 300 * time.Millisecond},
		pipedrive.Options{Settle: 10 * time.Millisecond, Now: ours, HTTP: crm.Options{Now: ours, Timeout: 100 * time.Millisecond}})
	ctx := context.Background()
	person := func(email string) []syncd.Contact {
		return []syncd.Contact{{Key: email, Email: email, Properties: map[string]string{"name": "P"}}}
	}
	if r := a.UpsertContacts(ctx, person("first@example.com"))[0]; r.Err != nil {
		t.Fatal(r.Err)
	}
	time.Sleep(350 * time.Millisecond) // the first person is listed: the list shows its lag
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/persons", Action: crmfake.ActApplyThenDrop, Uses: 1})
	lost := person("lost@example.com")
	if r := a.UpsertContacts(ctx, lost)[0]; r.Err == nil {
		t.Fatal("the create's answer was not lost")
	}
	time.Sleep(150 * time.Millisecond) // past the settle time and the timeout; the record is not listed yet
	r := a.UpsertContacts(ctx, lost)[0]
	if d := srv.State().Duplicates(); len(d) > 0 {
		t.Fatalf("a record not listed yet was made again: %v (result %+v)", d, r)
	}
}
