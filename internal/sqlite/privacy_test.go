package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// privPerson is one lead's person, with the strings that must vanish.
type privPerson struct{ name, email, phone, national string }

var (
	privJane = privPerson{"Jane Erasmus", "Jane.Erasmus@Example.com", "+4520123456", "20 12 34 56"}
	privBob  = privPerson{"Bob Keeper", "bob.keeper@example.org", "+4531987654", "31 98 76 54"}
)

func (p privPerson) subject() syncd.Subject {
	return syncd.Subject{ID: strings.ToLower(p.email), Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: strings.ToLower(p.email)}, {Kind: syncd.KeyPhone, Value: p.phone}},
		Patterns: []string{p.email, p.phone, p.national, strings.ReplaceAll(p.national, " ", "")}}
}

// eraseFound erases s as syncd erase does: what PersonData finds.
func eraseFound(ctx context.Context, db *sqlite.DB, s syncd.Subject) (syncd.Erasure, error) {
	pd, err := db.PersonData(ctx, s)
	if err != nil {
		return syncd.Erasure{}, err
	}
	return db.Erase(ctx, s, pd, "")
}

// traces are what a byte search looks for: the name, the email in any
// case, the phone in both forms.
func (p privPerson) traces() []string {
	return []string{p.name, strings.ToLower(p.email), strings.TrimPrefix(p.phone, "+45"), p.national}
}

// lead is a Lokalebasen enquiry by p; a long message makes the body span
// overflow pages.
func (p privPerson) lead(kind string) []byte {
	return []byte(fmt.Sprintf(`{"event_type":"enquiry_created","payload":{"client":{"name":%q,"email":%q,"phone":%q},`+
		`"enquiry":{"type":%q},"comment":%q}}`, p.name, p.email, p.national, kind,
		"Please call me. "+strings.Repeat(p.name+" wants a flat. ", 300)))
}

// privStore stores, through the intake as the receiver does, for each
// person a direct lead, an extra lead (leniently parsed) and a quarantined
// body, maps the leads to outbox operations and links; it returns the
// deliveries, so a test can send them again.
func privStore(t *testing.T, db *sqlite.DB, in *sqlite.Intake, people ...privPerson) map[string][]syncd.Incoming {
	t.Helper()
	ctx := context.Background()
	out := map[string][]syncd.Incoming{}
	for _, p := range people {
		extra := p.lead("extra")
		lenient := append(bytes.TrimSuffix(extra, []byte("}}")), []byte(",}}")...)
		incs := []syncd.Incoming{
			{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created", Key: privKey(p.lead("direct")),
				Body: p.lead("direct"), Parse: syncd.ParseStrict},
			{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created", Key: privKey(extra),
				Body: lenient, Payload: extra, Parse: syncd.ParseLenient},
			{Source: "eaf", Kind: syncd.KindEAF, Key: privKey([]byte(p.name)), Quarantine: true, Reason: "bad json",
				Body: []byte(`{"eaf_type":"email_lead" "name":"` + p.name + `","email":"` + strings.ToUpper(p.email) + `"`)},
		}
		for _, inc := range incs {
			r, err := in.Store(ctx, inc)
			if err != nil {
				t.Fatal(err)
			}
			if inc.Quarantine {
				continue
			}
			privMap(t, db, r.ID, p)
		}
		out[p.email] = incs
	}
	return out
}

// privKey is an idempotency key as the receiver makes them: a hash.
func privKey(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:])
}

// privMap records a contact and a deal for event id and their CRM links.
func privMap(t *testing.T, db *sqlite.DB, id int64, p privPerson) {
	t.Helper()
	ctx := context.Background()
	key, lead := strings.ToLower(p.email), fmt.Sprint("lead-", id)
	ops := []syncd.Op{
		{Target: "hubspot", Kind: syncd.RecordContact, Key: key, MappingFile: "lb.yaml", MappingHash: "h",
			Properties: map[string]string{"email": key, "phone": p.phone, "firstname": p.name}},
		{Target: "hubspot", Kind: syncd.RecordDeal, Key: lead, ContactKey: key, MappingFile: "lb.yaml", MappingHash: "h",
			Properties: map[string]string{"dealname": "Lead from " + p.name}},
	}
	if _, err := db.RecordMapping(ctx, id, syncd.MapMapped, "", ops); err != nil {
		t.Fatal(err)
	}
	if err := db.SetIntent(ctx, "pipedrive", syncd.RecordContact, key, db.Now()); err != nil {
		t.Fatal(err)
	}
	for _, l := range [][3]string{{"contact", key, "c-" + lead}, {"deal", lead, "d-" + lead}} {
		if err := db.SetLink(ctx, "hubspot", syncd.RecordKind(l[0]), l[1], l[2]); err != nil {
			t.Fatal(err)
		}
	}
}

// privHits returns which of needles occur, ignoring ASCII case, in the
// database file, its WAL and every file under extra directories.
func privHits(t *testing.T, db *sqlite.DB, needles []string, dirs ...string) []string {
	t.Helper()
	files := []string{db.Path(), db.Path() + "-wal"}
	for _, d := range dirs {
		filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				files = append(files, p)
			}
			return nil
		})
	}
	var hits []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // no WAL
		}
		b = bytes.ToLower(b)
		for _, n := range needles {
			if c := bytes.Count(b, []byte(strings.ToLower(n))); c > 0 {
				hits = append(hits, fmt.Sprintf("%q ×%d in %s", n, c, filepath.Base(f)))
			}
		}
	}
	return hits
}

func TestEraseLeavesNoTraceAndRetryStaysDuplicate(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	sent := privStore(t, db, in, privJane, privBob)
	if hits := privHits(t, db, privJane.traces()); len(hits) == 0 {
		t.Fatal("the search finds nothing even before the erase")
	}

	er, err := eraseFound(ctx, db, privJane.subject())
	if err != nil {
		t.Fatal(err)
	}
	if er.Events != 2 || er.Quarantined != 1 || er.Ops != 3 || er.Links != 3 || er.Intents != 1 || len(er.Received) != 3 {
		t.Errorf("erased %+v; want 2 events, 1 quarantined, 3 ops, 3 links, 1 intent, 3 times", er)
	}
	if hits := privHits(t, db, privJane.traces()); len(hits) > 0 {
		t.Errorf("after the erase: %v", hits)
	}
	if hits := privHits(t, db, privBob.traces()); len(hits) == 0 {
		t.Error("Bob's data went too")
	}
	evs, _ := db.Events(ctx, sqlite.EventFilter{})
	for _, ev := range evs {
		if strings.Contains(string(ev.Body), privBob.name) != (len(ev.Body) > 0) {
			t.Errorf("event %d: body %.40q", ev.ID, ev.Body)
		}
	}
	replay, err := db.ReplayEvents(ctx, time.Time{}, "", 0, 0)
	if err != nil || len(replay) != 2 {
		t.Errorf("replay would re-map %d events, %v; want Bob's 2", len(replay), err)
	}
	for _, inc := range sent[privJane.email] {
		r, err := in.Store(ctx, inc)
		if err != nil {
			t.Fatal(err)
		}
		if r.Outcome == syncd.Accepted {
			t.Errorf("a retried delivery of an erased event was accepted again: %+v", r)
		}
	}
	if hits := privHits(t, db, privJane.traces()); len(hits) > 0 {
		t.Errorf("after the retries: %v", hits)
	}
	var hash string
	var n int
	db.Reader().QueryRow(`SELECT subject_hash, events + quarantined FROM erasures`).Scan(&hash, &n)
	if len(hash) != 64 || n != 3 {
		t.Errorf("audit entry %q, %d", hash, n)
	}
}

func TestEraseMatchesWholeWordsOnly(t *testing.T) {
	s := syncd.Subject{ID: "jo@x.dk", Patterns: []string{"jo@x.dk", "20123456"}}
	for body, want := range map[string]bool{
		`{"e":"JO@X.DK"}`:       true,
		`mail jo@x.dk.`:         true,
		`{"e":"mojo@x.dk"}`:     false,
		`{"e":"jo@x.dk.org"}`:   false,
		`{"p":"+4520123456"}`:   false,
		`{"p":"20123456"}`:      true,
		`{"p":"201234567"}`:     false,
		`{"e":"a+jo@x.dk"}`:     false,
		`{"e":"jo@x.dk","x":1}`: true,
	} {
		if got := s.Mentions([]byte(body)); got != want {
			t.Errorf("Mentions(%s) = %v, want %v", body, got, want)
		}
	}
}

func TestPersonDataFindsWhatEraseRemoves(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	privStore(t, db, in, privJane, privBob)
	pd, err := db.PersonData(ctx, privJane.subject())
	if err != nil {
		t.Fatal(err)
	}
	if len(pd.Events) != 2 || len(pd.Quarantined) != 1 || len(pd.Ops) != 3 || len(pd.Links) != 3 || len(pd.Intents) != 1 {
		t.Fatalf("found %d events, %d quarantined, %d ops, %d links, %d intents; want 2, 1, 3, 3, 1",
			len(pd.Events), len(pd.Quarantined), len(pd.Ops), len(pd.Links), len(pd.Intents))
	}
	for _, ev := range pd.Events {
		if !strings.Contains(string(ev.Payload), privJane.name) {
			t.Errorf("event %d is not Jane's: %.60s", ev.ID, ev.Payload)
		}
	}
	if _, err := eraseFound(ctx, db, privJane.subject()); err != nil {
		t.Fatal(err)
	}
	pd, err = db.PersonData(ctx, privJane.subject())
	if err != nil || len(pd.Events)+len(pd.Quarantined)+len(pd.Ops)+len(pd.Links)+len(pd.Intents) != 0 {
		t.Fatalf("after the erase: %+v, %v", pd, err)
	}
}

// TestEraseByPhoneTakesTheEmailKeyedLinksToo: the contact is keyed by email;
// erased by phone, the links its operations used go as well.
func TestEraseByPhoneTakesTheEmailKeyedLinksToo(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	privStore(t, db, in, privJane, privBob)
	s := syncd.Subject{ID: privJane.phone, Keys: []syncd.Key{{Kind: syncd.KeyPhone, Value: privJane.phone}},
		Patterns: []string{privJane.phone, privJane.national}}
	er, err := eraseFound(ctx, db, s)
	if err != nil {
		t.Fatal(err)
	}
	if er.Events != 2 || er.Links != 3 {
		t.Errorf("erased %d events, %d links; want 2 and 3", er.Events, er.Links)
	}
	// The quarantined body names her by email only: it stays (and says so).
	if hits := privHits(t, db, []string{privJane.national, strings.TrimPrefix(privJane.phone, "+45")}); len(hits) > 0 {
		t.Errorf("after the erase: %v", hits)
	}
}

// TestEraseWaitsForADeliveryInFlight: an operation leased by the syncer
// would record its CRM link after the erase; the erase refuses meanwhile.
func TestEraseWaitsForADeliveryInFlight(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	privStore(t, db, in, privJane)
	if ops, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute); err != nil || len(ops) == 0 {
		t.Fatalf("claim: %v, %v", ops, err)
	}
	_, err := eraseFound(ctx, db, privJane.subject())
	if syncd.ErrorCode(err) != syncd.EUnavailable {
		t.Fatalf("erase during a delivery: %v; want unavailable", err)
	}
	if pd, _ := db.PersonData(ctx, privJane.subject()); len(pd.Events) != 2 {
		t.Fatalf("the refused erase changed something: %d events left", len(pd.Events))
	}
}

// TestMappingAfterEraseBringsNothingBack: the mapping worker read an event
// before the erase and records its mapping after it.
func TestMappingAfterEraseBringsNothingBack(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	r, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
		Key: privKey(privJane.lead("direct")), Body: privJane.lead("direct"), Parse: syncd.ParseStrict})
	if err != nil {
		t.Fatal(err)
	}
	pending, _ := db.PendingEvents(ctx, 0, 10) // the worker reads it
	if _, err := eraseFound(ctx, db, privJane.subject()); err != nil {
		t.Fatal(err)
	}
	ops := []syncd.Op{{Target: "hubspot", Kind: syncd.RecordContact, Key: strings.ToLower(privJane.email),
		Properties: map[string]string{"firstname": privJane.name}, MappingFile: "lb.yaml", MappingHash: "h"}}
	n, err := db.RecordMapping(ctx, pending[0].ID, syncd.MapMapped, "", ops)
	if err != nil || n != 0 {
		t.Fatalf("mapping an erased event: %d ops, %v; want 0, nil", n, err)
	}
	if hits := privHits(t, db, privJane.traces()); len(hits) > 0 || r.ID != pending[0].ID {
		t.Errorf("after the late mapping: %v", hits)
	}
	if _, err := db.RecordMapping(ctx, 999, syncd.MapMapped, "", nil); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Errorf("mapping a missing event: %v", err)
	}
}

// TestEraseFindsOperationsWhoseEventBodyWasPurged: with event bodies kept
// for less time than finished operations, the operations still hold the
// person's name and phone after their events lost their bodies; an erase
// by phone finds them by their properties, and export shows them.
func TestEraseFindsOperationsWhoseEventBodyWasPurged(t *testing.T) {
	ctx := context.Background()
	db, clk := opTestDB(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	privStore(t, db, in, privJane, privBob)
	ops, _ := db.ListOps(ctx, sqlite.OpFilter{})
	for _, op := range ops {
		if err := opTestComplete(ctx, db, op.ID, "crm-"+op.Key); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(40 * day)
	if p, err := db.Purge(ctx, syncd.Retention{Events: 30 * day, Outbox: 90 * day}); err != nil || p.Events != 4 || p.Ops != 0 {
		t.Fatalf("purge: %+v, %v; want 4 event bodies and no operation", p, err)
	}
	// A later lead of hers gives no phone: its body does not name her by
	// it, and an erase by phone leaves it (give -email too).
	noPhone := privPerson{privJane.name, privJane.email, "", ""}
	r, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
		Key: privKey(noPhone.lead("direct")), Body: noPhone.lead("direct"), Parse: syncd.ParseStrict})
	if err != nil {
		t.Fatal(err)
	}
	privMap(t, db, r.ID, noPhone)
	s := syncd.Subject{ID: privJane.phone, Keys: []syncd.Key{{Kind: syncd.KeyPhone, Value: privJane.phone}},
		Patterns: []string{privJane.phone}, Phones: []string{"20123456", "4520123456", "004520123456"}}
	if pd, err := db.PersonData(ctx, s); err != nil || len(pd.Ops) != 3 || len(pd.Events) != 2 {
		t.Errorf("export finds %d events, %d operations, %v; want Jane's 2 and 3", len(pd.Events), len(pd.Ops), err)
	}
	er, err := eraseFound(ctx, db, s)
	if err != nil {
		t.Fatal(err)
	}
	if er.Events != 2 || er.Ops != 3 {
		t.Errorf("erased %d events, %d operations; want 2 and 3", er.Events, er.Ops)
	}
	if ev, err := db.Event(ctx, r.ID); err != nil || len(ev.Body) == 0 {
		t.Errorf("her lead without a phone: %v, body %d bytes; want it kept", err, len(ev.Body))
	}
	// The quarantined body names her by email only: it stays (as in
	// TestEraseByPhoneTakesTheEmailKeyedLinksToo); no operation does.
	left, _ := db.ListOps(ctx, sqlite.OpFilter{})
	for _, op := range left {
		if strings.Contains(fmt.Sprint(op.Properties), privJane.name) && op.EventID != r.ID {
			t.Errorf("after the erase: operation %d %v", op.ID, op.Properties)
		}
	}
	if hits := privHits(t, db, []string{privBob.name}); len(hits) == 0 {
		t.Error("Bob's operations went too")
	}
}

// TestEraseNamesTheDayAnOperationDied: a CRM's error may quote the
// person's email, and the Needs attention sheet of the day an operation
// died shows it; that day's report is one erase makes again.
func TestEraseNamesTheDayAnOperationDied(t *testing.T) {
	ctx := context.Background()
	db, clk := opTestDB(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	privStore(t, db, in, privJane)
	clk.Advance(3 * day)
	died := clk.Now()
	ops, _ := db.ListOps(ctx, sqlite.OpFilter{})
	err := opTestFinish(ctx, db, ops[0].ID, func(op *syncd.Op) {
		op.State, op.LastError = syncd.OpDead, "Email address "+privJane.email+" is invalid"
	})
	if err != nil {
		t.Fatal(err)
	}
	er, err := eraseFound(ctx, db, privJane.subject())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(er.Received, died.Equal) {
		t.Errorf("erase names the days %v; want also %v, when the operation died", er.Received, died)
	}
}
