package sqlite_test

import (
	"context"
	"errors"
	"github.com/syncd-dev/syncd/internal/syncd"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// Rows are inserted with plain SQL, as the intake, mapper and syncer leave
// them, so that these tests depend on the schema only.

func repOpen(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func repTS(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

var repDay = time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)

func repAt(h, m int) time.Time {
	return repDay.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

func repEvent(t *testing.T, db *sqlite.DB, kind, typ string, at time.Time, mapState, body string, payload any) int64 {
	t.Helper()
	res, err := sqlite.RawWriter(db).Exec(`INSERT INTO events (source, kind, type, idem_key, body, payload, parse, received_at,
		last_delivery_at, map_state, map_error) VALUES (?, ?, ?, ?, ?, ?, 'strict', ?, ?, ?, ?)`,
		kind+"-src", kind, typ, "k"+repTS(at)+body, []byte(body), payload, repTS(at), repTS(at), mapState,
		map[bool]string{true: "no contact"}[mapState == "unmappable"])
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
}

func repOp(t *testing.T, db *sqlite.DB, event int64, kind, state, crmID string, updated time.Time) int64 {
	t.Helper()
	res, err := sqlite.RawWriter(db).Exec(`INSERT INTO outbox (event_id, target, kind, key, properties, props_hash, mapping_file,
		mapping_hash, state, next_attempt_at, last_error, crm_id, created_at, updated_at)
		VALUES (?, 'pipedrive', ?, ?, ?, ?, 'm.yaml', 'h', ?, ?, ?, ?, ?, ?)`,
		event, kind, "key", `{"v":"`+crmID+`"}`, kind+state+crmID+repTS(updated), state, repTS(updated),
		map[bool]string{true: "crm 400: bad email"}[state == "dead"], crmID, repTS(updated), repTS(updated))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
}

func TestReportStoreLeads(t *testing.T) {
	ctx := context.Background()
	db := repOpen(t)
	lb, eaf := "lokalebasen", "eaf"
	// Outside the range on both sides, and events that are not leads.
	repEvent(t, db, lb, "enquiry_created", repDay.Add(-time.Microsecond), "mapped", `{"n":0}`, nil)
	repEvent(t, db, eaf, "email_lead", repDay.Add(24*time.Hour), "mapped", `{"n":0}`, nil)
	repEvent(t, db, eaf, "portal_submission", repAt(1, 0), "ignored", `{"n":0}`, nil)
	repEvent(t, db, lb, "other_event", repAt(1, 0), "ignored", `{"n":0}`, nil)

	// Inserted out of received order: the stream is in received order.
	synced := repEvent(t, db, lb, "enquiry_created", repAt(9, 0), "mapped", `{"n":1,}`, `{"n":1}`)
	repOp(t, db, synced, "contact", "done", "c-old", repAt(9, 1))
	repOp(t, db, synced, "contact", "done", "c-new", repAt(9, 2))
	repOp(t, db, synced, "deal", "done", "d-1", repAt(9, 2))
	first := repEvent(t, db, eaf, "email_lead", repDay, "pending", `{"n":2}`, nil)
	pending := repEvent(t, db, eaf, "email_lead", repAt(10, 0), "mapped", `{"n":3}`, nil)
	repOp(t, db, pending, "contact", "done", "c-3", repAt(10, 1))
	repOp(t, db, pending, "deal", "pending", "", repAt(10, 1))
	dead := repEvent(t, db, eaf, "email_lead", repAt(11, 0), "mapped", `{"n":4}`, nil)
	repOp(t, db, dead, "contact", "dead", "", repAt(11, 1))
	repOp(t, db, dead, "deal", "pending", "", repAt(11, 1))
	unmappable := repEvent(t, db, lb, "enquiry_created", repAt(12, 0), "unmappable", `{"n":5}`, nil)
	ignored := repEvent(t, db, lb, "enquiry_created", repAt(23, 59), "ignored", `{"n":6}`, nil)

	type got struct {
		id                                  int64
		json                                string
		status                              syncd.CRMStatus
		target, contact, deal, kind, source string
		props, opErr                        string // the newest contact's properties, the newest error not done
		typ, mapErr                         string
	}
	var rows []got
	err := db.EachLead(ctx, repDay, repDay.Add(24*time.Hour), "", func(r *syncd.LeadRow) error {
		rows = append(rows, got{r.EventID, string(r.JSON), r.Status, r.Target, r.ContactID, r.DealID, r.Kind, r.Source,
			string(r.Contact), r.OpError, r.Type, r.MapError})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []got{
		{first, `{"n":2}`, syncd.CRMNotMapped, "", "", "", eaf, "eaf-src", "", "", "email_lead", ""},
		{synced, `{"n":1}`, syncd.CRMSynced, "pipedrive", "c-new", "d-1", lb, "lokalebasen-src", `{"v":"c-new"}`, "", "enquiry_created", ""},
		{pending, `{"n":3}`, syncd.CRMPending, "pipedrive", "c-3", "", eaf, "eaf-src", `{"v":"c-3"}`, "", "email_lead", ""},
		{dead, `{"n":4}`, syncd.CRMDead, "pipedrive", "", "", eaf, "eaf-src", `{"v":""}`, "crm 400: bad email", "email_lead", ""},
		{unmappable, `{"n":5}`, syncd.CRMUnmappable, "", "", "", lb, "lokalebasen-src", "", "", "enquiry_created", "no contact"},
		{ignored, `{"n":6}`, syncd.CRMNone, "", "", "", lb, "lokalebasen-src", "", "", "enquiry_created", ""},
	}
	if !slices.Equal(rows, want) {
		t.Fatalf("leads\n got %+v\nwant %+v", rows, want)
	}

	stop := errors.New("stop")
	n := 0
	err = db.EachLead(ctx, repDay, repDay.Add(24*time.Hour), "", func(*syncd.LeadRow) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("fn's error: got %v after %d rows", err, n)
	}
}

func TestReportStoreEvents(t *testing.T) {
	db := repOpen(t)
	a := repEvent(t, db, "eaf", "portal_submission", repAt(5, 0), "ignored", `{"a":1}`, nil)
	repEvent(t, db, "eaf", "feed_import", repAt(5, 0), "ignored", `{"b":1}`, nil)
	repEvent(t, db, "eaf", "portal_submission", repAt(-1, 0), "ignored", `{"a":0}`, nil)
	var ids []int64
	var bodies []string
	err := db.EachEvent(context.Background(), repDay, repDay.Add(24*time.Hour), "eaf", "portal_submission",
		func(r *syncd.EventRow) error {
			ids, bodies = append(ids, r.EventID), append(bodies, string(r.JSON))
			if !r.ReceivedAt.Equal(repAt(5, 0)) || r.Source != "eaf-src" {
				t.Errorf("row %+v", r)
			}
			return nil
		})
	if err != nil || !slices.Equal(ids, []int64{a}) || bodies[0] != `{"a":1}` {
		t.Fatalf("ids %v bodies %q err %v", ids, bodies, err)
	}
}

func TestReportStoreAttention(t *testing.T) {
	db := repOpen(t)
	q := func(at time.Time, resolved any) int64 {
		res, err := sqlite.RawWriter(db).Exec(`INSERT INTO quarantine (source, kind, body, body_sha256, reason, received_at,
			last_delivery_at, resolved_event_id) VALUES ('eaf-src', 'eaf', ?, 'x', 'bad JSON', ?, ?, ?)`,
			[]byte("{"), repTS(at), repTS(at), resolved)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	ev := repEvent(t, db, "eaf", "email_lead", repAt(1, 0), "mapped", `{}`, nil)
	quar := q(repAt(2, 0), nil)
	q(repAt(3, 0), ev) // repaired: needs nothing any more
	q(repAt(-2, 0), nil)
	unm := repEvent(t, db, "lokalebasen", "enquiry_created", repAt(4, 0), "unmappable", `{}`, nil)
	unrec := repEvent(t, db, "eaf", "", repAt(4, 10), "unrecognised", `{}`, nil)
	newType := repEvent(t, db, "eaf", "listing_viewed", repAt(4, 20), "ignored", `{}`, nil)
	repEvent(t, db, "eaf", "listing_saved", repAt(4, 30), "mapped", `{}`, nil)      // a rule maps it
	repEvent(t, db, "eaf", "portal_submission", repAt(4, 40), "ignored", `{}`, nil) // documented
	deadOp := repOp(t, db, ev, "contact", "dead", "", repAt(5, 0))
	repOp(t, db, ev, "deal", "dead", "", repAt(25, 0)) // died the next day
	repOp(t, db, ev, "deal", "done", "9", repAt(6, 0))
	res, err := sqlite.RawWriter(db).Exec(`INSERT INTO outbox (event_id, target, kind, key, properties, props_hash,
		mapping_file, mapping_hash, state, next_attempt_at, last_error, created_at, updated_at)
		VALUES (?, 'hubspot', 'contact', 'k2', '{}', 'h2', 'm.yaml', 'h', 'dead', ?, 'crm 409', ?, ?)`,
		ev, repTS(repAt(7, 0)), repTS(repAt(7, 0)), repTS(repAt(7, 0)))
	if err != nil {
		t.Fatal(err)
	}
	deadHubSpot, _ := res.LastInsertId()

	var got []syncd.AttentionRow
	err = db.EachAttention(context.Background(), repDay, repDay.Add(24*time.Hour), func(r *syncd.AttentionRow) error {
		got = append(got, *r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []syncd.AttentionRow{
		{Kind: syncd.AttentionQuarantined, ID: quar, At: repAt(2, 0), Source: "eaf-src", Detail: "eaf", Reason: "bad JSON"},
		{Kind: syncd.AttentionUnmappable, ID: unm, At: repAt(4, 0), Source: "lokalebasen-src", Detail: "enquiry_created", Reason: "no contact", EventID: unm, LeadAt: repAt(4, 0)},
		// Not leads: the Leads sheet does not list them, so no lead is linked.
		{Kind: syncd.AttentionUnrecognised, ID: unrec, At: repAt(4, 10), Source: "eaf-src"},
		{Kind: syncd.AttentionNewType, ID: newType, At: repAt(4, 20), Source: "eaf-src", Detail: "listing_viewed",
			Reason: "new event type: no rule maps it"},
		{Kind: syncd.AttentionDead, ID: deadOp, At: repAt(5, 0), Source: "eaf-src", Detail: "pipedrive contact", Reason: "crm 400: bad email", EventID: ev, LeadAt: repAt(1, 0)},
		{Kind: syncd.AttentionDead, ID: deadHubSpot, At: repAt(7, 0), Source: "eaf-src", Detail: "hubspot contact", Reason: "crm 409", EventID: ev, LeadAt: repAt(1, 0)},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] && !sameRow(got[i], want[i]) {
			t.Errorf("row %d\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// sameRow reports whether a and b are the same row, their times equal in any zone.
func sameRow(a, b syncd.AttentionRow) bool {
	if !a.At.Equal(b.At) || !a.LeadAt.Equal(b.LeadAt) {
		return false
	}
	a.At, b.At, a.LeadAt, b.LeadAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b
}

func TestReportStoreRecords(t *testing.T) {
	ctx := context.Background()
	db := repOpen(t)
	now := time.Date(2026, 5, 5, 4, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	if first, err := db.FirstReport(ctx); err != nil || first != "" {
		t.Fatalf("first report of an empty store: %q, %v", first, err)
	}
	for _, day := range []string{"2026-05-03", "2026-05-04"} {
		err := db.RecordReport(ctx, syncd.ReportRecord{Day: day, Path: "/r/leads-" + day + ".xlsx", Leads: 7,
			Summary: "Leads: 7 on " + day, Mail: syncd.MailPending})
		if err != nil {
			t.Fatal(err)
		}
	}
	if made, err := db.ReportMade(ctx, "2026-05-04"); err != nil || !made {
		t.Fatalf("made = %v, %v", made, err)
	}
	if made, err := db.ReportMade(ctx, "2026-05-02"); err != nil || made {
		t.Fatalf("made = %v, %v", made, err)
	}
	if first, err := db.FirstReport(ctx); err != nil || first != "2026-05-03" {
		t.Fatalf("first = %q, %v", first, err)
	}
	if err := db.SetMailState(ctx, "2026-05-04", syncd.MailPending, 1, "451 try later", syncd.MailNote{}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetMailState(ctx, "2026-05-03", syncd.MailSent, 2, "", syncd.MailNote{}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetMailState(ctx, "2026-01-01", syncd.MailSent, 1, "", syncd.MailNote{}); err == nil {
		t.Fatal("mail state of a report never made was accepted")
	}
	recs, err := db.Reports(ctx, "2026-05-03")
	if err != nil {
		t.Fatal(err)
	}
	want := []syncd.ReportRecord{
		{Day: "2026-05-03", Path: "/r/leads-2026-05-03.xlsx", CreatedAt: now, Leads: 7, Summary: "Leads: 7 on 2026-05-03",
			Mail: syncd.MailSent, Attempts: 2, MailedAt: now},
		{Day: "2026-05-04", Path: "/r/leads-2026-05-04.xlsx", CreatedAt: now, Leads: 7, Summary: "Leads: 7 on 2026-05-04",
			Mail: syncd.MailPending, Attempts: 1, MailError: "451 try later"},
	}
	if len(recs) != 2 {
		t.Fatalf("reports %+v", recs)
	}
	for i := range want {
		g, w := recs[i], want[i]
		if !g.CreatedAt.Equal(w.CreatedAt) || !g.MailedAt.Equal(w.MailedAt) {
			t.Errorf("report %d times %v %v, want %v %v", i, g.CreatedAt, g.MailedAt, w.CreatedAt, w.MailedAt)
		}
		g.CreatedAt, g.MailedAt, w.CreatedAt, w.MailedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("report %d\n got %+v\nwant %+v", i, g, w)
		}
	}
	// Making a day again replaces its record; without mail, its mail state stays.
	if err := db.RecordReport(ctx, syncd.ReportRecord{Day: "2026-05-03", Path: "/r/again.xlsx", Leads: 8, Mail: syncd.MailNone}); err != nil {
		t.Fatal(err)
	}
	// With mail, the mailing starts over.
	if err := db.RecordReport(ctx, syncd.ReportRecord{Day: "2026-05-04", Path: "/r/again4.xlsx", Leads: 9, Mail: syncd.MailPending}); err != nil {
		t.Fatal(err)
	}
	recs, err = db.Reports(ctx, "2026-05-03")
	if err != nil || len(recs) != 2 {
		t.Fatalf("reports %+v, %v", recs, err)
	}
	if r := recs[0]; r.Path != "/r/again.xlsx" || r.Leads != 8 || r.Mail != syncd.MailSent || r.Attempts != 2 ||
		!r.MailedAt.Equal(now) || r.Summary != "" {
		t.Errorf("made again without mail: %+v", r)
	}
	if r := recs[1]; r.Path != "/r/again4.xlsx" || r.Leads != 9 || r.Mail != syncd.MailPending || r.Attempts != 0 ||
		r.MailError != "" {
		t.Errorf("made again with mail: %+v", r)
	}
}

func TestInstalledAtIsTheFirstStart(t *testing.T) {
	db := repOpen(t)
	first := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return first }
	got, err := db.InstalledAt(context.Background())
	if err != nil || !got.Equal(first) {
		t.Fatalf("first start: %v, %v; want %v", got, err, first)
	}
	db.Now = func() time.Time { return first.Add(48 * time.Hour) }
	if got, err := db.InstalledAt(context.Background()); err != nil || !got.Equal(first) {
		t.Fatalf("a later start: %v, %v; want the first, %v", got, err, first)
	}
}
