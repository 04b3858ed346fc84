package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// personSearches is a store that counts the searches for a person made
// of it (PersonData): each reads every event and operation stored.
type personSearches struct {
	store
	n int
}

func (p *personSearches) PersonData(ctx context.Context, s syncd.Subject) (syncd.PersonData, error) {
	p.n++
	return p.store.PersonData(ctx, s)
}

// TestPhonesOfManyLeadsAreLookedForInOneSearch: a broker enquired for each
// of his clients, each lead with his email and the client's phone. After
// an export (or erase) by his email, syncd looks for each of those phones
// on other contacts' leads, to say so: it searched the whole database once
// per phone, and with 270 such leads among 50,000 the export, written in a
// second, went on for over five minutes, saying nothing. The phones are
// now looked for in one search, and only one that another contact's lead
// carries is searched again on its own: the colleague giving a client's
// phone as his own is still named, with his lead.
func TestPhonesOfManyLeadsAreLookedForInOneSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const clients, shared = 30, 7
	phone := func(i int) string { return fmt.Sprintf("+45520000%02d", i) }
	raw, err := sql.Open("sqlite3", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	lead := func(id int, email, phone string) {
		t.Helper()
		body := fmt.Sprintf(`{"event_type":"enquiry_created","payload":{"client":{"email":%q,"name":"Client %d","phone":%q},"comment":"Reference %d."}}`,
			email, id, phone, id)
		props := fmt.Sprintf(`{"email":%q,"phone":%q,"firstname":"Client"}`, email, phone)
		if _, err := raw.Exec(`INSERT INTO events (id, source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
			VALUES (?, 'lokalebasen', 'lokalebasen', 'enquiry_created', ?, ?, 'strict', '2026-12-06T10:00:00Z', '2026-12-06T10:00:00Z', 'mapped')`,
			id, fmt.Sprint("k", id), []byte(body)); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(`INSERT INTO outbox (event_id, target, kind, key, key_kind, properties, props_hash, mapping_file, mapping_hash,
			state, attempts, next_attempt_at, crm_id, created_at, updated_at)
			VALUES (?, 'hubspot', 'contact', ?, 'email', ?, ?, 'lokalebasen.yaml', 'h', 'done', 1, '2026-12-06T10:00:00Z', '1001',
			'2026-12-06T10:00:00Z', '2026-12-06T10:00:00Z')`, id, email, props, fmt.Sprint("h", id)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range clients {
		lead(i+1, "broker@agency.dk", phone(i))
	}
	lead(100, "kim@firm.dk", phone(shared))  // a colleague giving a client's phone as his own
	lead(101, "anne@firm.dk", "+4540404040") // someone else altogether
	cfg := &config.Config{Sources: map[string]config.Source{"lb": {Kind: "lokalebasen", DefaultCountry: "DK"}}}
	s, err := newSubject(cfg, "broker@agency.dk", "")
	if err != nil {
		t.Fatal(err)
	}
	counted := &personSearches{store: db}
	pd, err := counted.PersonData(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	phones := ownPhones(s, pd)
	if len(phones) != clients {
		t.Fatalf("the broker's leads carry %d phones, want %d: %v", len(phones), clients, phones)
	}
	counted.n = 0
	got, err := phonesElsewhere(ctx, cfg, counted, s, phones, foundEvents(pd))
	if err != nil {
		t.Fatal(err)
	}
	want := []phoneShared{{phone: phone(shared), others: map[string][]int64{"kim@firm.dk": {100}}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("phones on other leads: %+v, want %+v", got, want)
	}
	if counted.n > 2 {
		t.Errorf("the %d phones of the broker's leads took %d searches of the whole database, want at most 2", clients, counted.n)
	}
}
