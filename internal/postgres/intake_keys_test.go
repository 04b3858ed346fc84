package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

const keysWindow = 14 * 24 * time.Hour

// keysFixture is a database on a controlled clock with its intake running,
// and a connection of the test's own to count rows.
type keysFixture struct {
	db   *postgres.DB
	in   *postgres.Intake
	conn *pgx.Conn
	now  atomic.Pointer[time.Time]
}

func newKeysFixture(t *testing.T) *keysFixture {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	f := &keysFixture{db: db, conn: conn, in: db.NewIntake(postgres.IntakeOptions{Window: keysWindow})}
	f.set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	db.Now = func() time.Time { return *f.now.Load() }
	ictx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { f.in.Run(ictx); close(done) }()
	t.Cleanup(func() { stop(); <-done; conn.Close(ctx); db.Close() })
	return f
}

func (f *keysFixture) set(t time.Time) { f.now.Store(&t) }

func (f *keysFixture) advance(d time.Duration) { f.set(f.now.Load().Add(d)) }

// store delivers each key once, from 8 clients at once, and returns each
// key's receipt.
func (f *keysFixture) store(t *testing.T, keys []string) map[string]syncd.Receipt {
	out := make(map[string]syncd.Receipt, len(keys))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(keys); i += 8 {
				r, err := f.in.Store(context.Background(), syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen,
					Type: "enquiry_created", Key: keys[i], Body: []byte(`{}`), Parse: syncd.ParseStrict})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				out[keys[i]] = r
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return out
}

func (f *keysFixture) count(t *testing.T, query string) int {
	var n int
	if err := f.conn.QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func keys(prefix string, n int) []string {
	ks := make([]string, n)
	for i := range ks {
		ks[i] = fmt.Sprint(prefix, i)
	}
	return ks
}

// TestPurgeSweepsIntakeKeys: the purge deletes the intake keys received
// before the duplicate window, more than one batch in one run, and keeps
// the window's and every event row; the swept keys make new events, the
// kept ones duplicates.
func TestPurgeSweepsIntakeKeys(t *testing.T) {
	t.Parallel()
	f := newKeysFixture(t)
	old, recent := keys("old-", 1234), keys("recent-", 10)
	f.store(t, old)
	f.advance(13 * 24 * time.Hour)
	f.store(t, recent)
	f.advance(2 * 24 * time.Hour)
	p, err := f.db.Purge(context.Background(), syncd.Retention{Keys: keysWindow})
	if err != nil || !reflect.DeepEqual(p, syncd.Purge{Keys: len(old)}) {
		t.Fatalf("purge: %+v, %v; want %d keys", p, err, len(old))
	}
	if n := f.count(t, `SELECT count(*) FROM intake_keys`); n != len(recent) {
		t.Fatalf("%d intake keys left, want the window's %d", n, len(recent))
	}
	if n := f.count(t, `SELECT count(*) FROM events`); n != len(old)+len(recent) {
		t.Fatalf("%d events after the sweep, want %d", n, len(old)+len(recent))
	}
	for k, r := range f.store(t, append(old[:3:3], recent[:3]...)) {
		if want := map[bool]syncd.Outcome{true: syncd.Accepted, false: syncd.Duplicate}[k[0] == 'o']; r.Outcome != want {
			t.Errorf("%s after the sweep: %s, want %s", k, r.Outcome, want)
		}
	}
}

// TestSweepBesideRetries: retries of expired keys arriving while the
// purge sweeps them each make one new event, whose key the sweep keeps.
func TestSweepBesideRetries(t *testing.T) {
	t.Parallel()
	f := newKeysFixture(t)
	old := keys("old-", 3000)
	f.store(t, old)
	f.advance(keysWindow + time.Hour)
	swept := make(chan error, 1)
	go func() {
		_, err := f.db.Purge(context.Background(), syncd.Retention{Keys: keysWindow})
		swept <- err
	}()
	first := f.store(t, old)
	if err := <-swept; err != nil {
		t.Fatal(err)
	}
	again := f.store(t, old)
	for _, k := range old {
		if first[k].Outcome != syncd.Accepted || again[k].Outcome != syncd.Duplicate || again[k].ID != first[k].ID {
			t.Fatalf("%s: %+v then %+v; want a new event, then a duplicate of it", k, first[k], again[k])
		}
	}
	if n := f.count(t, `SELECT count(*) FROM intake_keys`); n != len(old) {
		t.Fatalf("%d intake keys, want the %d retried", n, len(old))
	}
}
