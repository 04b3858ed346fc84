package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPostgresRestoreErasesEventsGivenByIDAgain: an erase -event run on
// this host, which a restore of the PostgreSQL database undid (its log
// holds the erasure, the database's audit does not, and it holds the lead
// again), is made again by the instance's start, by the event ids the log
// keeps. It used to be logged as an erasure syncd cannot make again ("the
// person is not among the contacts ..."), as an erase by email whose
// person it cannot find, and status said ERASURE UNDONE for ever.
func TestPostgresRestoreErasesEventsGivenByIDAgain(t *testing.T) {
	t.Parallel()
	f := newPostgresPurgeFixture(t)
	ctx := context.Background()
	f.setNow(time.Now())
	r, err := f.in.Store(ctx, syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: syncd.TypeEmailLead, Key: "n1",
		Body: []byte(`{"eaf_type":"email_lead","eaf_id":"n1","contact_name":"Anna Jensen"}`), Parse: syncd.ParseStrict, ReceivedAt: f.now()})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg, err := config.Parse("syncd.yaml", []byte("data_dir: "+dir+"\nstore:\n  kind: postgres\n  dsn: postgres://unused\n"+
		"mapping:\n  dir: ../../mappings/hubspot\nsources:\n  eaf:\n    kind: eaf\n    tokens: [token-one-0123456789]\nreport:\n  dir: "+dir+"/r\n"),
		func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	path := erasureLogPath(cfg)
	if _, err := newErasureLog(path); err != nil {
		t.Fatal(err)
	}
	// The erasure as the log holds it once the dump taken before it is
	// restored: an audit time the database does not know.
	at := f.now().Add(time.Minute)
	if err := appendErasure(path, erasureEntry{At: at, Events: []int64{r.ID}, First: f.now(), Audited: at}); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if err := eraseLostAgain(ctx, cfg, f.b, true, zerolog.New(&log)); err != nil {
		t.Fatal(err)
	}
	if f.kept(t, r.ID) || !strings.Contains(log.String(), "applied again") {
		t.Errorf("the lead of the erase -event undone by the restore: kept %v; want it erased again, and said:\n%s", f.kept(t, r.ID), log.String())
	}
	if rs, err := pgRestoreFindings(ctx, cfg, f.b); err != nil || rs != nil {
		t.Errorf("status once it was made again: %+v, %v; want nothing undone", rs, err)
	}
}

// TestEraseEventRefusesWhatItShouldNotErase: erase -event refuses an id
// the database does not hold, and a lead that holds an email or a phone
// (in its body, or mapped to a contact operation) unless -despite-contact:
// that person is erased with -email or -phone, whole.
func TestEraseEventRefusesWhatItShouldNotErase(t *testing.T) {
	t.Parallel()
	lead := func(id int64, client string) syncd.Event {
		body := `{"event_type":"enquiry_created","payload":{"client":{` + client + `}}}`
		return syncd.Event{ID: id, Kind: syncd.KindLokalebasen, Type: syncd.TypeEnquiryCreated, Body: []byte(body), Payload: []byte(body)}
	}
	pd := syncd.PersonData{Events: []syncd.Event{lead(1, `"name":"Anna Jensen"`), lead(2, `"name":"Anna Jensen","phone":"20 12 34 56"`),
		lead(3, `"name":"Anna Jensen"`)},
		Ops: []syncd.Op{{EventID: 3, Kind: syncd.RecordContact, Key: "anna@example.dk"}}}
	for _, c := range []struct {
		ids     []int64
		despite bool
		want    string // in the error; "" for none
	}{
		{[]int64{1}, false, ""},
		{[]int64{1, 9}, false, "no event 9 in this database"},
		{[]int64{2}, false, "event 2 holds an email or a phone"},
		{[]int64{1, 3}, false, "event 3 holds an email or a phone"},
		{[]int64{2, 3}, true, ""},
	} {
		err := checkEvents(c.ids, pd, c.despite, "erased")
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("erase -event %v (despite-contact %v): %v; want %q", c.ids, c.despite, err, c.want)
		}
	}
	if got := contactsOf(pd.Ops); len(got) != 1 || got[0] != "anna@example.dk" {
		t.Errorf("contacts kept of those leads: %v", got)
	}
}
