package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// searchDB is a database holding, for the erase search's tests, leads of
// other people and of Jane, stored as the mapper stores them: an event and
// a contact and a deal operation each.
type searchDB struct {
	*DB
	t   *testing.T
	n   int
	now string
}

var searchJane = syncd.Subject{ID: "jane@example.com", Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: "jane@example.com"}}, Patterns: []string{"jane@example.com"}}

func newSearchDB(t *testing.T) *searchDB {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d := &searchDB{DB: db, t: t, now: syncd.FormatTime(time.Now())}
	for i := range 20 {
		d.lead(fmt.Sprintf("person%d@example.com", i))
		d.quarantined(fmt.Sprintf("person%d@example.com", i))
	}
	return d
}

// quarantined stores a body naming email that did not parse.
func (d *searchDB) quarantined(email string) int64 {
	d.t.Helper()
	d.n++
	return d.exec(`INSERT INTO quarantine (source, kind, body, body_sha256, reason, received_at, last_delivery_at)
		VALUES ('lb', 'lokalebasen', CAST(?1 AS BLOB), ?2, 'not JSON', ?3, ?3)`,
		fmt.Sprintf(`{"client": {"email": %q}`, email), fmt.Sprintf("sha-%d", d.n), d.now)
}

// lead stores a lead of email (its body and both operations naming them)
// and returns its event and operations' ids.
func (d *searchDB) lead(email string) (ev, contact, deal int64) {
	d.t.Helper()
	d.n++
	body := fmt.Sprintf(`{"payload":{"client":{"email":%q}}}`, email)
	ev = d.exec(`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		VALUES ('lb', 'lokalebasen', 'enquiry_created', ?1, CAST(?2 AS BLOB), 'strict', ?3, ?3, 'mapped')`,
		fmt.Sprintf("sha256:%d", d.n), body, d.now)
	contact = d.op(ev, "contact", email, "", fmt.Sprintf(`{"email":%q}`, email))
	deal = d.op(ev, "deal", fmt.Sprintf("lead-%d", d.n), email, fmt.Sprintf(`{"dealname":"Lead of %s"}`, email))
	return ev, contact, deal
}

// op stores an operation of event ev and returns its id.
func (d *searchDB) op(ev int64, kind, key, contactKey, props string) int64 {
	d.t.Helper()
	d.n++
	return d.exec(`INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
		mapping_hash, next_attempt_at, created_at, updated_at) VALUES (?1, 'hubspot', ?2, ?3, ?4, ?5, ?6, 'm.yaml', 'h', ?7, ?7, ?7)`,
		ev, kind, key, contactKey, props, fmt.Sprintf("hash-%d", d.n), d.now)
}

// purge drops the body of event ev, as the retention does.
func (d *searchDB) purge(ev int64) {
	d.exec(`UPDATE events SET body = X'', payload = NULL, purged_at = ? WHERE id = ?`, d.now, ev)
}

func (d *searchDB) exec(query string, args ...any) int64 {
	d.t.Helper()
	res, err := d.w.Exec(query, args...)
	if err != nil {
		d.t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
}

// recorder is a queryer that keeps the queries it ran, with their
// arguments.
type recorder struct {
	queryer
	queries []string
	args    [][]any
}

func (r *recorder) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	r.queries, r.args = append(r.queries, query), append(r.args, args)
	return r.queryer.QueryContext(ctx, query, args...)
}

// erased returns the ids of the events erased.
func (d *searchDB) erased() []int64 {
	d.t.Helper()
	ids, err := column[int64](context.Background(), d.w, `SELECT id FROM events WHERE erased_at IS NOT NULL ORDER BY id`)
	if err != nil {
		d.t.Fatal(err)
	}
	return ids
}

// TestEraseWriteSearchReadsNoWholeTable: erase's write transaction, which
// holds up every delivery, looks only at the rows added since the read
// (PersonData) whose findings it erases: never the whole outbox or events
// table (a year of them took it over a second), nor the quarantine. Rows
// the read saw are changed behind its back to name Jane (which syncd
// never does: bodies and properties are only emptied): the write
// transaction, not reading them again, does not see it; rows added since
// naming her it does, and erases nothing.
func TestEraseWriteSearchReadsNoWholeTable(t *testing.T) {
	d := newSearchDB(t)
	ctx := context.Background()
	ev1, _, _ := d.lead("jane@example.com")
	d.purge(ev1)
	d.lead("jane@example.com")
	d.quarantined("jane@example.com")
	pd, err := d.PersonData(ctx, searchJane)
	if err != nil || len(pd.Events) != 2 || len(pd.Quarantined) != 1 {
		t.Fatalf("read %d events, %d quarantined bodies, %v; want 2 and 1", len(pd.Events), len(pd.Quarantined), err)
	}
	d.exec(`UPDATE events SET body = CAST('{"email":"jane@example.com"}' AS BLOB) WHERE id = 1`)
	d.exec(`UPDATE outbox SET properties = '{"email":"jane@example.com"}' WHERE event_id = 3 AND kind = 'contact'`)
	d.exec(`UPDATE outbox SET key = 'jane@example.com' WHERE event_id = 5 AND kind = 'contact'`)
	d.exec(`UPDATE quarantine SET body = CAST('{"email":"jane@example.com"' AS BLOB) WHERE id = 1`)
	since := func() error {
		tx, err := d.w.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		rec := &recorder{queryer: tx}
		err = storedSince(ctx, rec, searchJane, pd)
		for i, q := range rec.queries {
			for _, step := range queryPlan(t, d.DB, q, rec.args[i]...) {
				if strings.HasPrefix(step, "SCAN outbox") || strings.HasPrefix(step, "SCAN o") ||
					strings.HasPrefix(step, "SCAN events") || strings.HasPrefix(step, "SCAN e") ||
					strings.HasPrefix(step, "SCAN quarantine") {
					t.Errorf("plan step %q reads a whole table, in:\n%s", step, q)
				}
			}
		}
		return err
	}
	if err := since(); err != nil {
		t.Errorf("rows the read saw, changed behind its back: %v; want them not read again", err)
	}
	d.lead("jane@example.com")
	d.lead("person99@example.com")
	d.quarantined("jane@example.com")
	want := "stored since the person was read: 1 event, 1 quarantined body, 2 outbox operations that name them"
	if err := since(); syncd.ErrorCode(err) != syncd.EChanged || !strings.Contains(fmt.Sprint(err), want) {
		t.Errorf("rows added since naming her: %v; want %q", err, want)
	}
}

// TestEraseErasesWhatItsReadFound: whatever changed between erase's read
// (PersonData) and its write transaction, Erase erases exactly the events
// the read found, or, when rows stored since name the person (a lead
// added, mapped, or an operation taking the highest id again), nothing,
// saying so (EChanged): what it erases is what erase named.
func TestEraseErasesWhatItsReadFound(t *testing.T) {
	for name, tc := range map[string]struct {
		before  func(d *searchDB) int64 // returns an event between uses
		between func(d *searchDB, ev int64)
		changed bool
	}{
		"her lead added":     {between: func(d *searchDB, _ int64) { d.lead("jane@example.com") }, changed: true},
		"another lead added": {between: func(d *searchDB, _ int64) { d.lead("person98@example.com") }},
		"quarantined body added, another purged": {
			before: func(d *searchDB) int64 { return d.quarantined("jane@example.com") },
			between: func(d *searchDB, q int64) {
				d.exec(`UPDATE quarantine SET body = X'', purged_at = ? WHERE id = ?`, d.now, q)
				d.quarantined("jane@example.com")
			},
			changed: true,
		},
		"body purged, no operation left": {
			before: func(d *searchDB) int64 {
				ev, contact, deal := d.lead("jane@example.com")
				d.exec(`DELETE FROM outbox WHERE id IN (?, ?)`, contact, deal)
				return ev
			},
			between: func(d *searchDB, ev int64) { d.purge(ev) },
		},
		"operation deleted": {
			before: func(d *searchDB) int64 {
				ev, _, _ := d.lead("jane@example.com")
				d.purge(ev)
				return ev
			},
			between: func(d *searchDB, _ int64) { d.exec(`DELETE FROM outbox WHERE properties LIKE '%jane@%'`) },
		},
		// Her lead, found by its body before the mapper got to it, mapped
		// since: its contact may be another's.
		"her lead mapped": {
			before: func(d *searchDB) int64 {
				ev, contact, deal := d.lead("jane@example.com")
				d.exec(`DELETE FROM outbox WHERE id IN (?, ?)`, contact, deal)
				return ev
			},
			between: func(d *searchDB, ev int64) { d.op(ev, "contact", "bob@example.com", "", `{"email":"bob@example.com"}`) },
			changed: true,
		},
		// Deleted (a purge, outbox drop), the highest operation's id is
		// not given again: the next operation takes a new one.
		"highest operation deleted, another made": {
			before: func(d *searchDB) int64 { ev, _, _ := d.lead("person77@example.com"); return ev },
			between: func(d *searchDB, _ int64) {
				var ev, top int64
				if err := d.w.QueryRow(`SELECT event_id, id FROM outbox ORDER BY id DESC LIMIT 1`).Scan(&ev, &top); err != nil {
					t.Fatal(err)
				}
				d.purge(ev)
				d.exec(`DELETE FROM outbox WHERE id = ?`, top)
				if id := d.op(ev, "deal", "lead-x", "someone", `{"note":"jane@example.com"}`); id <= top {
					t.Fatalf("new operation %d; want an id past %d (the one deleted)", id, top)
				}
			},
			changed: true,
		},
	} {
		t.Run(name, func(t *testing.T) {
			d := newSearchDB(t)
			d.t = t
			ctx := context.Background()
			d.lead("jane@example.com")
			var ev int64
			if tc.before != nil {
				ev = tc.before(d)
			}
			pd, err := d.PersonData(ctx, searchJane)
			if err != nil {
				t.Fatal(err)
			}
			tc.between(d, ev)
			er, err := d.Erase(ctx, searchJane, pd, "")
			if tc.changed {
				if syncd.ErrorCode(err) != syncd.EChanged || er.Events != 0 || len(d.erased()) != 0 {
					t.Errorf("erase: %v, %d events erased (%v); want an EChanged error and none", err, er.Events, d.erased())
				}
				return
			}
			if want := eventIDs(pd); err != nil || er.Events != len(want) || !slices.Equal(d.erased(), want) {
				t.Errorf("erase: %v, %d events erased (%v); want those read, %v", err, er.Events, d.erased(), want)
			}
		})
	}
}

// TestEraseLinksReadTheirKeys: erase finds, in its write transaction, the
// person's CRM links and create intents through their keys, never reading
// the whole tables, which keep every contact and deal ever linked.
func TestEraseLinksReadTheirKeys(t *testing.T) {
	d := newSearchDB(t)
	for i := range 20 {
		for _, target := range []string{"hubspot", "pipedrive"} {
			d.exec(`INSERT INTO crm_links (target, kind, key, crm_id, updated_at) VALUES (?1, 'contact', ?2, ?3, ?4), (?1, 'deal', ?5, ?3, ?4)`,
				target, fmt.Sprintf("person%d@example.com", i), fmt.Sprint(i), d.now, fmt.Sprintf("lead-%d", i))
			d.exec(`INSERT INTO crm_intents (target, kind, key, sent_at) VALUES (?, 'contact', ?, ?)`,
				target, fmt.Sprintf("person%d@example.com", i), d.now)
		}
	}
	d.exec(`INSERT INTO crm_links (target, kind, key, crm_id, updated_at) VALUES ('hubspot', 'contact', 'jane@example.com', '901', ?1),
		('pipedrive', 'contact', 'jane@example.com', '902', ?1), ('hubspot', 'deal', 'lead-jane', '903', ?1)`, d.now)
	tx, err := d.w.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rec := &recorder{queryer: tx}
	_, _, links, err := personLinks(context.Background(), rec, []string{"jane@example.com", "person3@example.com"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range links {
		got = append(got, l.Target+" "+string(l.Kind)+" "+l.Key+" "+l.CRMID)
	}
	slices.Sort(got)
	want := []string{"hubspot contact jane@example.com 901", "hubspot contact person3@example.com 3",
		"pipedrive contact jane@example.com 902", "pipedrive contact person3@example.com 3"}
	if !slices.Equal(got, want) {
		t.Errorf("links %q; want %q", got, want)
	}
	queries := append(rec.queries, keyedRows("DELETE", "crm_links"), keyedRows("DELETE", "crm_intents"),
		keyedRows("SELECT target, kind, key, sent_at", "crm_intents"))
	for _, q := range queries {
		for _, step := range queryPlan(t, d.DB, q, `["jane@example.com"]`, `["lead-jane"]`) {
			if strings.HasPrefix(step, "SCAN crm_links") || strings.HasPrefix(step, "SCAN crm_intents") {
				t.Errorf("plan step %q reads a whole table, in:\n%s", step, q)
			}
		}
	}
}
