package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// receive stores one Lokalebasen lead with key through an intake of db
// whose duplicate window is window, received now on db's clock, as the
// receiver gives it.
func receive(ctx context.Context, t *testing.T, db *postgres.DB, window time.Duration, key string) syncd.Receipt {
	t.Helper()
	in := db.NewIntake(postgres.IntakeOptions{Window: window})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go in.Run(ctx)
	rec, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created", Key: key,
		Body: []byte(`{"event_type":"enquiry_created"}`), Parse: syncd.ParseStrict, ReceivedAt: db.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// TestReceivedWhateverTheClocks: when a delivery was received was written
// on the clock of the instance that received it: a lead received at 23:55
// on a host ten minutes ahead was, for the report made elsewhere, received
// at 00:05 and fell in the next day's (one behind: a lead of 00:05 in the
// day before), and syncd events list there showed it received in ten
// minutes. It is kept on the database server's clock and given on each
// host's, and the report's ranges are taken there.
func TestReceivedWhateverTheClocks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	here, ahead := openDSN(t, dsn), tenMinutesAhead(t, dsn)
	ctx := context.Background()
	rec := receive(ctx, t, ahead, 0, "k")
	for _, c := range []struct {
		name string
		db   *postgres.DB
	}{{"here", here}, {"ahead", ahead}} {
		now := c.db.Now()
		var leads []syncd.LeadRow
		err := c.db.EachLead(ctx, now.Add(-time.Minute), now.Add(time.Minute), "", func(r *syncd.LeadRow) error {
			leads = append(leads, *r)
			return nil
		})
		if err != nil || len(leads) != 1 || !near(leads[0].ReceivedAt, now) {
			t.Errorf("%s: the report's leads within a minute of now = %+v, %v; want the lead the host ahead received just now", c.name, leads, err)
		}
		ev, err := c.db.Event(ctx, rec.ID)
		if err != nil || !near(ev.ReceivedAt, now) || !near(ev.LastDeliveryAt, now) {
			t.Errorf("%s: events show of a lead received just now on the host ahead: received %s, last delivered %s, %v; want now on %s's clock",
				c.name, ev.ReceivedAt, ev.LastDeliveryAt, err, c.name)
		}
		listed, err := c.db.Events(ctx, syncd.EventFilter{Since: now.Add(-time.Minute), Until: now.Add(time.Minute)})
		if err != nil || len(listed) != 1 {
			t.Errorf("%s: events list within a minute of now = %d events, %v; want the one", c.name, len(listed), err)
		}
	}
}

// TestQuarantinedWhateverTheClocks: a body that did not parse was kept
// with its receipt on the receiving host's clock: received on a host ten
// minutes ahead, it was missing from the Needs attention of the report
// made elsewhere for the minutes it came in (near midnight: in the next
// day's). It is kept on the database server's clock, as events are.
func TestQuarantinedWhateverTheClocks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	here, ahead := openDSN(t, dsn), tenMinutesAhead(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in := ahead.NewIntake(postgres.IntakeOptions{})
	go in.Run(ctx)
	if _, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Body: []byte("{"),
		Quarantine: true, Reason: "unexpected end", ReceivedAt: ahead.Now()}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var got []syncd.AttentionRow
	err := here.EachAttention(ctx, now.Add(-time.Minute), now.Add(time.Minute), func(r *syncd.AttentionRow) error {
		got = append(got, *r)
		return nil
	})
	if err != nil || len(got) != 1 || got[0].Kind != "quarantined" || !near(got[0].At, now) {
		t.Errorf("needs attention here within a minute of now = %+v, %v; want the body quarantined just now on the host ahead", got, err)
	}
	qs, err := here.Quarantined(ctx, syncd.EventFilter{})
	if err != nil || len(qs) != 1 || !near(qs[0].ReceivedAt, now) {
		t.Errorf("events quarantine here = %+v, %v; want one received now", qs, err)
	}
}

// TestDuplicateWindowWhateverTheClocks: the duplicate window was measured
// on the receiving host's clock from a key's receipt on the clock of the
// host that first received it: a sender's retry near the window's end,
// sent to a host ten minutes ahead of the first, was taken as a new lead
// (the CRM got it twice), and the daily purge run there swept keys ten
// minutes early, with the same result. Both are on the server's clock.
func TestDuplicateWindowWhateverTheClocks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	here, ahead := openDSN(t, dsn), tenMinutesAhead(t, dsn)
	ctx := context.Background()
	const window = 5 * time.Minute // the retry comes within it, whichever host takes it
	first := receive(ctx, t, here, window, "k")
	if again := receive(ctx, t, ahead, window, "k"); again.Outcome != syncd.Duplicate || again.ID != first.ID {
		t.Errorf("a retry within the window sent to the host ahead: %s event %d; want a duplicate of event %d", again.Outcome, again.ID, first.ID)
	}
	first = receive(ctx, t, here, window, "k2")
	if _, err := ahead.Purge(ctx, syncd.Retention{Keys: window}); err != nil {
		t.Fatal(err)
	}
	if again := receive(ctx, t, here, window, "k2"); again.Outcome != syncd.Duplicate || again.ID != first.ID {
		t.Errorf("a retry within the window after the host ahead purged: %s event %d; want a duplicate of event %d", again.Outcome, again.ID, first.ID)
	}
}

// TestRetentionWhateverTheClocks: retention was measured from an event's
// receipt (a CRM link's recording) on the clock of the host that received
// (recorded) it to the purging host's: the daily purge on a host ten
// minutes ahead emptied leads and forgot CRM ids ten minutes before their
// time, and one behind kept them ten minutes more.
func TestRetentionWhateverTheClocks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	here, ahead := openDSN(t, dsn), tenMinutesAhead(t, dsn)
	ctx := context.Background()
	rec := receive(ctx, t, here, 0, "k")
	if _, err := here.RecordMapping(ctx, rec.ID, syncd.MapIgnored, "", nil); err != nil {
		t.Fatal(err)
	}
	if err := here.SetLink(ctx, "hubspot", syncd.RecordContact, "a@example.com", "101"); err != nil {
		t.Fatal(err)
	}
	p, err := ahead.Purge(ctx, syncd.Retention{Events: 5 * time.Minute, Links: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if ev, err := here.Event(ctx, rec.ID); err != nil || p.Events != 0 || len(ev.Body) == 0 {
		t.Errorf("events kept 5 minutes, purged on the host ahead: %d purged, a lead received just now has %d bytes, %v; want it kept",
			p.Events, len(ev.Body), err)
	}
	if id, err := here.Link(ctx, "hubspot", syncd.RecordContact, "a@example.com"); err != nil || p.Links != 0 || id != "101" {
		t.Errorf("links kept 5 minutes, purged on the host ahead: %d purged, the one recorded just now is %q, %v; want it kept",
			p.Links, id, err)
	}
}

// TestErasedWhateverTheClocks: when syncd erase erased a person was
// written on the clock of the host it ran on: erased on a host ten
// minutes ahead, events show and export elsewhere said the lead was
// erased in ten minutes, and the erasure's audit entry was made then. It
// is kept on the database server's clock, as the lead's receipt is, and
// given on each host's.
func TestErasedWhateverTheClocks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	here, ahead := openDSN(t, dsn), tenMinutesAhead(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in := here.NewIntake(postgres.IntakeOptions{})
	go in.Run(ctx)
	rec, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created", Key: "k",
		Body: []byte(`{"email":"jane@example.com"}`), Parse: syncd.ParseStrict, ReceivedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	s := syncd.Subject{ID: "jane@example.com", Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: "jane@example.com"}}, Patterns: []string{"jane@example.com"}}
	pd, err := ahead.PersonData(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	er, err := ahead.Erase(ctx, s, pd, "")
	if err != nil {
		t.Fatal(err)
	}
	if er.Events != 1 || len(er.Received) != 1 || !near(er.Received[0], ahead.Now()) {
		t.Errorf("erase on the host ahead = %+v; want the lead, received now on its clock (the reports to make again are of its days)", er)
	}
	for _, c := range []struct {
		name string
		db   *postgres.DB
	}{{"here", here}, {"ahead", ahead}} {
		now := c.db.Now()
		if ev, err := c.db.Event(ctx, rec.ID); err != nil || !near(ev.ErasedAt, now) || !near(ev.ReceivedAt, now) {
			t.Errorf("%s: events show of a lead received and erased just now: received %s, erased %s, %v; want both now on its clock",
				c.name, ev.ReceivedAt, ev.ErasedAt, err)
		}
		if pd, err := c.db.PersonData(ctx, s); err != nil || len(pd.Erasures) != 1 || !near(pd.Erasures[0].At, now) {
			t.Errorf("%s: the person's erasures = %+v, %v; want the one, made now on its clock", c.name, pd.Erasures, err)
		}
	}
}

// TestUnmappedWhateverTheClocks: the report's alarm on leads not mapped
// ten minutes after their receipt measured that receipt, on the clock of
// the host that received it, with the report leader's: made on a host ten
// minutes ahead, the report named as waiting a lead received seconds
// before, and on one behind it kept quiet about a lead waiting twenty
// minutes. Receipts are on the server's clock, and so is the filter.
func TestUnmappedWhateverTheClocks(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	here, ahead := openDSN(t, dsn), tenMinutesAhead(t, dsn)
	ctx := context.Background()
	receive(ctx, t, here, 0, "k")
	f := syncd.EventFilter{MapState: syncd.MapPending, Until: ahead.Now().Add(-5 * time.Minute)}
	if n, err := ahead.CountEvents(ctx, f); err != nil || n != 0 {
		t.Errorf("on the host ahead, leads not mapped 5 minutes after their receipt: %d, %v; want none (the one came just now)", n, err)
	}
	// Until a minute from now: the lead came just now on the server's
	// clock as here measured it, which by the host ahead's measure (off by
	// milliseconds, as claimTheOne tells) can be just after its now.
	f.Until = ahead.Now().Add(time.Minute)
	if n, err := ahead.CountEvents(ctx, f); err != nil || n != 1 {
		t.Errorf("on the host ahead, leads not mapped before a minute from now: %d, %v; want the one", n, err)
	}
}
