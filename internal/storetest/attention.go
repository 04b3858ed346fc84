package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// attentionDay is a day with one of each row the Needs attention sheet
// shows, for bob and for jane: the ids, and from when.
type attentionDay struct {
	from                                  time.Time
	quarantined, unmappable, unrecognised map[person]int64
	newType                               map[person][]int64 // the first one mapped (ignored), the second not yet
	deadOp, deadEvent                     int64
}

// unrecognisedWhy is what the receiver says of an EAF body posted to a
// Lokalebasen source.
const unrecognisedWhy = "looks like an eaf body (it has eaf_type), not lokalebasen: posted to the wrong source?"

// storeAttentionDay stores a quarantined body, an unmappable event, an
// unrecognised one and two of a new type for each of bob and jane, a
// second apart by kind, a feed import no rule maps (a documented type:
// not a row) and a lead whose contact operation went dead.
func (e *env) storeAttentionDay(in Intake) attentionDay {
	t := e.t
	t.Helper()
	d := attentionDay{from: e.now(), quarantined: map[person]int64{}, unmappable: map[person]int64{},
		unrecognised: map[person]int64{}, newType: map[person][]int64{}}
	store := func(inc syncd.Incoming) int64 {
		t.Helper()
		rec, err := in.Store(e.ctx, inc)
		if err != nil || rec.ID == 0 {
			t.Fatalf("store %s: %+v, %v", inc.Key, rec, err)
		}
		return rec.ID
	}
	event := func(key, typ string, p person) syncd.Incoming {
		inc := incoming(key + p.email)
		inc.Type = typ
		inc.Body = fmt.Appendf(nil, `{"event_type":%q,"id":%q,"client":{"email":%q}}`, typ, inc.Key, p.email)
		return inc
	}
	mapping := func(id int64, st syncd.MapState, why string) {
		t.Helper()
		if _, err := e.Store.RecordMapping(e.ctx, id, st, why, nil); err != nil {
			t.Fatal(err)
		}
	}
	people := []person{bob, jane}
	for _, p := range people {
		d.quarantined[p] = store(syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "q-" + p.email,
			Body: []byte(`{"client":{"email":"` + p.email + `"},`), Quarantine: true, Reason: "invalid JSON"})
	}
	e.advance(time.Second)
	for _, p := range people {
		d.unmappable[p] = store(event("un-", syncd.TypeEnquiryCreated, p))
		mapping(d.unmappable[p], syncd.MapUnmappable, "no phone")
	}
	e.advance(time.Second)
	for _, p := range people {
		inc := incoming("ur-" + p.email)
		inc.Type, inc.Unrecognised = "", unrecognisedWhy
		inc.Body = fmt.Appendf(nil, `{"eaf_type":"email_lead","eaf_id":%q,"email":%q}`, inc.Key, p.email)
		d.unrecognised[p] = store(inc)
	}
	e.advance(time.Second)
	for _, p := range people {
		ignored := store(event("nt1-", "location_rented", p))
		mapping(ignored, syncd.MapIgnored, "")
		d.newType[p] = []int64{ignored, store(event("nt2-", "location_rented", p))}
	}
	feed := incoming("feed")
	feed.Source, feed.Kind, feed.Type = "eaf", syncd.KindEAF, syncd.TypeFeedImport
	mapping(store(feed), syncd.MapIgnored, "")
	e.advance(time.Second)
	d.deadEvent = e.mapped(in, 1)
	c := e.claim(e.Store, syncd.RecordContact, 1)
	c[0].State, c[0].LastError = syncd.OpDead, "400 INVALID_EMAIL"
	if err := e.Store.FinishOps(e.ctx, c); err != nil {
		t.Fatal(err)
	}
	d.deadOp = c[0].ID
	e.advance(time.Second)
	return d
}

// rows are the day's attention rows of the people given, in the sheet's
// order (time, kind, id), as attentionRows writes them.
func (d attentionDay) rows(people ...person) string {
	var out []string
	for _, p := range people {
		out = append(out, fmt.Sprintf(`+0s quarantined %d lb "lokalebasen" "invalid JSON" lead 0`, d.quarantined[p]))
	}
	for _, p := range people {
		out = append(out, fmt.Sprintf(`+1s unmappable %d lb "enquiry_created" "no phone" lead %d received +1s`, d.unmappable[p], d.unmappable[p]))
	}
	for _, p := range people {
		out = append(out, fmt.Sprintf(`+2s unrecognised %d lb "" %q lead 0`, d.unrecognised[p], unrecognisedWhy))
	}
	for _, p := range people {
		for _, id := range d.newType[p] {
			out = append(out, fmt.Sprintf(`+3s new_type %d lb "location_rented" "new event type: no rule maps it" lead 0`, id))
		}
	}
	out = append(out, fmt.Sprintf(`+4s dead %d lb "hubspot contact" "400 INVALID_EMAIL" lead %d received +4s`, d.deadOp, d.deadEvent))
	return strings.Join(out, "\n")
}

// attentionRows is what EachAttention gives from d.from to now, a row a line.
func (e *env) attentionRows(d attentionDay) string {
	e.t.Helper()
	var rows []string
	err := e.Store.EachAttention(e.ctx, d.from, e.now().Add(time.Second), func(r *syncd.AttentionRow) error {
		row := fmt.Sprintf("+%s %s %d %s %q %q lead %d", r.At.Sub(d.from), r.Kind, r.ID, r.Source, r.Detail,
			r.Reason, r.EventID)
		if !r.LeadAt.IsZero() {
			row += fmt.Sprintf(" received +%s", r.LeadAt.Sub(d.from))
		}
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return strings.Join(rows, "\n")
}

// testReportAttention: the Needs attention sheet's rows are the same on
// every store: quarantined bodies, unmappable events, bodies that do not
// fit their source's kind (stored unrecognised, never mapped), events of a
// type their sender does not document that no rule mapped, and dead
// operations, each with the lead it concerns and when that lead was
// received (the report tells a lead of another day): none for a quarantined body
// and for an event that is not a lead (an unrecognised body, a new type,
// an erasure's own row), which the Leads sheet does not list either (the
// sheet said "lead 7 (another day)" of an event of that very day).
func testReportAttention(t *testing.T, e *env) {
	d := e.storeAttentionDay(e.runIntake(e.Handle, window))
	if got, want := e.attentionRows(d), d.rows(bob, jane); got != want {
		t.Fatalf("attention rows:\n%s\nwant\n%s", got, want)
	}
	evs, err := e.Store.PendingEvents(e.ctx, 0, 100)
	var pending []int64
	for _, ev := range evs {
		pending = append(pending, ev.ID)
	}
	if want := fmt.Sprint([]int64{d.newType[bob][1], d.newType[jane][1]}); err != nil || fmt.Sprint(pending) != want {
		t.Fatalf("events to map: %v, %v; want only the new-type ones not mapped yet, %s (an unrecognised body is never mapped)",
			pending, err, want)
	}
}

// testReportAttentionWithoutTheErased: a report made again after an
// erasure (erase remakes the days it touched) no longer lists the person's
// quarantined bodies and events under Needs attention either, as the Leads
// sheet no longer lists their leads: there is nothing left to inspect or
// repair, and a row kept (its reason emptied, its lead on no sheet) would
// still tell a reader that the person wrote that day. The erasure of her
// contact in the CRM that went dead is listed: it needs a person, and
// holds no personal data.
func testReportAttentionWithoutTheErased(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	d := e.storeAttentionDay(in)
	e.personLead(in, "sent", jane, false)
	e.deliverAll()
	if _, err := e.erase(subjectOf(jane), "hubspot"); err != nil {
		t.Fatal(err)
	}
	crm := e.claim(e.Store, syncd.RecordErase, 10)
	if len(crm) != 1 {
		t.Fatalf("CRM erase operations: %+v; want the erasure of her contact", crm)
	}
	crm[0].State, crm[0].LastError = syncd.OpDead, "403 MISSING_SCOPES"
	if err := e.Store.FinishOps(e.ctx, crm); err != nil {
		t.Fatal(err)
	}
	want := d.rows(bob) + fmt.Sprintf("\n+5s dead %d syncd \"hubspot erase\" \"403 MISSING_SCOPES\" lead 0", crm[0].ID)
	if got := e.attentionRows(d); got != want {
		t.Fatalf("attention rows after erasing jane:\n%s\nwant bob's only, and the dead erasure in the CRM:\n%s", got, want)
	}
	// The unmappable leads syncd status names: received since a time,
	// their bodies held (jane's erased waits for no one).
	f := syncd.EventFilter{MapState: syncd.MapUnmappable, Since: d.from, Kept: true}
	n, err := e.Store.CountEvents(e.ctx, f)
	f.Newest, f.Limit = true, 5
	evs, lerr := e.Store.Events(e.ctx, f)
	if err != nil || lerr != nil || n != 1 || len(evs) != 1 || evs[0].ID != d.unmappable[bob] {
		t.Fatalf("unmappable leads kept since %v: %d, %+v (%v, %v); want bob's, %d", d.from, n, evs, err, lerr, d.unmappable[bob])
	}
	if n, err := e.Store.CountEvents(e.ctx, syncd.EventFilter{MapState: syncd.MapUnmappable, Since: e.now().Add(time.Second), Kept: true}); err != nil || n != 0 {
		t.Fatalf("unmappable leads received after all: %d, %v; want none", n, err)
	}
}

// testLeftOutAttention: a lead mapped with a note of what was left out of
// its records (a date syncd cannot read, a field of another shape) is a
// row of its own kind, left_out, with the note as its reason and the lead
// it is; one mapped without a note is none. The rows were none: the
// report never listed a lead that reached the CRM without a field.
func testLeftOutAttention(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	d := attentionDay{from: e.now()}
	e.mapped(in, 1)
	ev := e.event(in, "lead-key-2")
	const note = `rule "lb": syncd_enquiry_at left out: cannot read "06/09/2021 06:28" as a date`
	if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, note, lead(ev, 2)); err != nil || n != 2 {
		t.Fatalf("record mapping: %d, %v", n, err)
	}
	want := fmt.Sprintf(`+0s left_out %d lb "enquiry_created" %q lead %d received +0s`, ev, note, ev)
	if got := e.attentionRows(d); got != want {
		t.Fatalf("attention rows:\n%s\nwant\n%s", got, want)
	}
}
