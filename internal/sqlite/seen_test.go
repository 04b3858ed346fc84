package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// runIntake runs an intake on db whose seen set packs every sealEvery keys,
// until stop is called or the test ends.
func runIntake(t *testing.T, db *DB, sealEvery int) (in *Intake, stop func()) {
	in = db.NewIntake(IntakeOptions{})
	in.sealEvery = sealEvery
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { in.Run(ctx); close(done) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return in, stop
}

func storeKey(t *testing.T, in *Intake, key string) syncd.Receipt {
	t.Helper()
	r, err := in.Store(context.Background(), syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen,
		Type: "enquiry_created", Key: key, Body: []byte(`{}`), Parse: syncd.ParseStrict})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// collidingKeys returns two keys whose hashes share the 32-bit fingerprint.
func collidingKeys(t *testing.T) (string, string) {
	seen := map[uint32]string{}
	for i := 0; ; i++ {
		key := fmt.Sprintf("sha256:%d", i)
		fp := fingerprint(seenKeyOf("lb", key))
		if other, ok := seen[fp]; ok {
			return other, key
		}
		seen[fp] = key
	}
}

// TestSeenPackedKeysFindDuplicates packs the keys every 8: duplicates are
// still found with the first event's id, before and after a restart, and a
// key sharing a packed key's fingerprint is a new event.
func TestSeenPackedKeysFindDuplicates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "syncd.db")
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in, stop := runIntake(t, db, 8)
	a, b := collidingKeys(t)
	first := map[string]int64{a: storeKey(t, in, a).ID}
	for i := range 50 {
		key := fmt.Sprintf("k%d", i)
		first[key] = storeKey(t, in, key).ID
	}
	if len(in.seen.sealed) < 5 {
		t.Fatalf("%d sealed segments, want the keys packed", len(in.seen.sealed))
	}
	rb := storeKey(t, in, b)
	if rb.Outcome != syncd.Accepted {
		t.Fatalf("a key sharing a packed key's fingerprint: %+v, want a new event", rb)
	}
	first[b] = rb.ID
	check := func(in *Intake) {
		for key, id := range first {
			if r := storeKey(t, in, key); r.Outcome != syncd.Duplicate || r.ID != id {
				t.Fatalf("%s again: %+v, want a duplicate of %d", key, r, id)
			}
		}
	}
	check(in)
	stop()
	again, _ := runIntake(t, db, 8) // a restart loads and packs the keys again
	check(again)
}

// TestSeenPackedKeysLeaveTheWindow: a packed segment is forgotten once all
// its keys are older than the window, and an old key in a kept segment is
// not a duplicate.
func TestSeenPackedKeysLeaveTheWindow(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	in, _ := runIntake(t, db, 4)
	for i := range 8 {
		storeKey(t, in, fmt.Sprintf("old%d", i))
	}
	now = now.Add(15 * 24 * time.Hour)
	storeKey(t, in, "new")
	if r := storeKey(t, in, "old1"); r.Outcome != syncd.Accepted {
		t.Fatalf("a key older than the window: %+v, want a new event", r)
	}
	if n := len(in.seen.sealed); n != 0 {
		t.Fatalf("%d segments kept past the window", n)
	}
}

// BenchmarkSeenMemory measures the heap the seen set holds for 100,000 and
// 1,000,000 keys, against a map of full keys (the earlier design):
//
//	go test ./internal/sqlite -run '^$' -bench SeenMemory -benchtime 1x
func BenchmarkSeenMemory(b *testing.B) {
	for b.Loop() {
		for _, n := range []int{100_000, 1_000_000} {
			packed := heapOf(func() any {
				s := &seenSet{window: time.Hour, sealEvery: defaultSealEvery, keys: map[seenKey]seenEntry{}, staged: map[seenKey]seenEntry{}}
				for i := range n {
					s.add("lb", fmt.Sprint(i), int64(i+1), time.Now())
					if i%512 == 511 {
						s.end(true, time.Now())
					}
				}
				s.end(true, time.Now())
				return s
			})
			full := heapOf(func() any {
				m := map[seenKey]seenEntry{}
				for i := range n {
					m[seenKeyOf("lb", fmt.Sprint(i))] = seenEntry{id: int64(i + 1)}
				}
				return m
			})
			b.Logf("%9d keys: packed %6.1f MB (%.1f B/key), full map %6.1f MB (%.1f B/key)", n,
				float64(packed)/1e6, float64(packed)/float64(n), float64(full)/1e6, float64(full)/float64(n))
		}
	}
}

// heapOf is the live heap that what make returns keeps.
func heapOf(make func() any) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := make()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return after.HeapAlloc - before.HeapAlloc
}
