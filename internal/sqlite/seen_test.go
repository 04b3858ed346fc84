package sqlite

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// runIntake runs an intake on db whose seen set seals every sealEvery keys,
// until stop is called or the test ends. hash, when set, replaces the keys'
// hash in seen_keys.
func runIntake(t *testing.T, db *DB, sealEvery int, hash func(seenKey) int64) (in *Intake, stop func()) {
	return runIntakeFor(t, db, DefaultDedupWindow, sealEvery, hash)
}

func runIntakeFor(t *testing.T, db *DB, window time.Duration, sealEvery int, hash func(seenKey) int64) (in *Intake, stop func()) {
	in = db.NewIntake(IntakeOptions{Window: window})
	in.sealEvery, in.hash = sealEvery, hash
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

func openSeen(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// waitSealed waits until n keys are sealed.
func waitSealed(t *testing.T, db *DB, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); sealedKeys(t, db) < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d keys sealed after 10 s, want %d", sealedKeys(t, db), n)
		}
	}
}

// sealedKeys counts the rows of seen_keys and seen_keys_new.
func sealedKeys(t *testing.T, db *DB) int {
	t.Helper()
	return count(t, db, `SELECT (SELECT count(*) FROM seen_keys) + (SELECT count(*) FROM seen_keys_new)`)
}

// checkDuplicates stores every key of first again and wants a duplicate of
// its first event.
func checkDuplicates(t *testing.T, in *Intake, first map[string]int64) {
	t.Helper()
	for key, id := range first {
		if r := storeKey(t, in, key); r.Outcome != syncd.Duplicate || r.ID != id {
			t.Fatalf("%s again: %+v, want a duplicate of %d", key, r, id)
		}
	}
}

// TestSeenSealedKeysFindDuplicates seals the keys every 8: they leave memory
// for seen_keys, and a delivery of one of them is still a duplicate of its
// first event, before and after a restart (which reads from events only
// what seen_keys does not hold).
func TestSeenSealedKeysFindDuplicates(t *testing.T) {
	db := openSeen(t)
	in, stop := runIntake(t, db, 8, nil)
	first := map[string]int64{}
	for i := range 50 {
		key := fmt.Sprintf("k%d", i)
		first[key] = storeKey(t, in, key).ID
	}
	checkDuplicates(t, in, first)
	stop()
	again, _ := runIntake(t, db, 8, nil)
	checkDuplicates(t, again, first)
	if n := len(again.seen.keys) + len(again.seen.sealing); n >= 16 {
		t.Fatalf("%d keys in memory after a restart, want fewer than two seals' worth", n)
	}
	if n := sealedKeys(t, db); n < 40 {
		t.Fatalf("%d keys in seen_keys, want the sealed ones (at least 40 of 50)", n)
	}
}

// TestSeenMergedKeysFindDuplicates seals every 4 keys, so that the seals
// are merged into seen_keys: its keys, and those of later seals still in
// seen_keys_new, are duplicates, before and after a restart.
func TestSeenMergedKeysFindDuplicates(t *testing.T) {
	db := openSeen(t)
	in, stop := runIntake(t, db, 4, nil)
	first := map[string]int64{}
	for i := range 60 {
		key := fmt.Sprintf("k%d", i)
		first[key] = storeKey(t, in, key).ID
		if i%4 == 3 { // one seal of exactly 4 keys each time
			waitSealed(t, db, i+1)
		}
	}
	stop()
	again, _ := runIntake(t, db, 4, nil)
	checkDuplicates(t, again, first)
	merged, unmerged := count(t, db, `SELECT count(*) FROM seen_keys`), count(t, db, `SELECT count(*) FROM seen_keys_new`)
	if merged != 4*mergeEvery || unmerged != 60-4*mergeEvery {
		t.Fatalf("%d keys merged, %d not, want %d and %d", merged, unmerged, 4*mergeEvery, 60-4*mergeEvery)
	}
}

// TestSeenSealedHashCollisionIsNotADuplicate makes every key share one hash
// in seen_keys: a new key finding another key's row is a new event.
func TestSeenSealedHashCollisionIsNotADuplicate(t *testing.T) {
	db := openSeen(t)
	same := func(seenKey) int64 { return 42 }
	in, stop := runIntake(t, db, 4, same)
	for i := range 8 {
		storeKey(t, in, fmt.Sprintf("old%d", i))
	}
	stop()
	in, _ = runIntake(t, db, 4, same) // a restart seals every complete set of 4
	fresh := map[string]int64{}
	for i := range 3 {
		key := fmt.Sprintf("new%d", i)
		r := storeKey(t, in, key)
		if r.Outcome != syncd.Accepted {
			t.Fatalf("a new key sharing a sealed key's hash: %+v, want a new event", r)
		}
		fresh[key] = r.ID
	}
	if n := count(t, db, `SELECT count(*) FROM seen_keys_new WHERE hash = 42`); n != 1 {
		t.Fatalf("%d rows with the shared hash, want 1", n)
	}
	checkDuplicates(t, in, fresh)
}

// TestSeenSealedKeysLeaveTheWindow: a sealed key older than the window is
// not a duplicate, and the sweep deletes its row.
func TestSeenSealedKeysLeaveTheWindow(t *testing.T) {
	db := openSeen(t)
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	in, stop := runIntake(t, db, 4, nil)
	for i := range 8 {
		storeKey(t, in, fmt.Sprintf("old%d", i))
	}
	stop()
	now = now.Add(13 * 24 * time.Hour)
	in, _ = runIntake(t, db, 4, nil)
	storeKey(t, in, "new") // the restart sealed the 8
	if n := sealedKeys(t, db); n != 8 {
		t.Fatalf("%d keys sealed, want 8", n)
	}
	for part := range sweepParts {
		if err := in.sweep(context.Background(), now, part); err != nil {
			t.Fatal(err)
		}
	}
	if n := sealedKeys(t, db); n != 8 {
		t.Fatalf("the sweep left %d keys of the window, want 8", n)
	}
	now = now.Add(2 * 24 * time.Hour)
	if r := storeKey(t, in, "old1"); r.Outcome != syncd.Accepted {
		t.Fatalf("a sealed key older than the window: %+v, want a new event", r)
	}
	for part := range sweepParts {
		if err := in.sweep(context.Background(), now, part); err != nil {
			t.Fatal(err)
		}
	}
	if n := sealedKeys(t, db); n != 0 {
		t.Fatalf("%d expired keys left after a sweep of every part", n)
	}
}

// TestSeenLongerWindowReadsItAgain: keys swept under a one-day window are
// read again from events when the window becomes 14 days.
func TestSeenLongerWindowReadsItAgain(t *testing.T) {
	db := openSeen(t)
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	in, stop := runIntakeFor(t, db, 24*time.Hour, 4, nil)
	first := map[string]int64{}
	for i := range 8 {
		key := fmt.Sprintf("k%d", i)
		first[key] = storeKey(t, in, key).ID
	}
	stop()
	now = now.Add(48 * time.Hour)
	in, stop = runIntakeFor(t, db, 24*time.Hour, 4, nil)
	storeKey(t, in, "new")
	for part := range sweepParts {
		if err := in.sweep(context.Background(), now, part); err != nil {
			t.Fatal(err)
		}
	}
	if n := sealedKeys(t, db); n != 0 {
		t.Fatalf("%d keys left past a one-day window", n)
	}
	stop()
	again, _ := runIntakeFor(t, db, 14*24*time.Hour, 4, nil)
	checkDuplicates(t, again, first)
}

// TestSeenRepairFindsASealedKey: a repaired body whose key was sealed is
// a duplicate of that key's event (the repair looks keys up one by one).
func TestSeenRepairFindsASealedKey(t *testing.T) {
	db := openSeen(t)
	in, stop := runIntake(t, db, 4, nil)
	first := map[string]int64{}
	for i := range 8 {
		key := fmt.Sprintf("k%d", i)
		first[key] = storeKey(t, in, key).ID
	}
	q, err := in.Store(context.Background(), syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "sha256:bad",
		Body: []byte(`{"a":1 "b":2}`), Quarantine: true, Reason: "invalid JSON"})
	if err != nil {
		t.Fatal(err)
	}
	stop()
	in, stop = runIntake(t, db, 4, nil)
	storeKey(t, in, "new") // the restart sealed the 8
	stop()
	if n := sealedKeys(t, db); n != 8 {
		t.Fatalf("%d keys sealed, want 8", n)
	}
	rec, err := db.RepairQuarantined(context.Background(), q.ID, syncd.Incoming{Type: "enquiry_created", Key: "k1",
		Body: []byte(`{}`), Parse: syncd.ParseStrict}, DefaultDedupWindow)
	if err != nil || rec.Outcome != syncd.Duplicate || rec.ID != first["k1"] {
		t.Fatalf("repair with a sealed key: %+v %v, want a duplicate of %d", rec, err, first["k1"])
	}
}

// TestSeenSealCutShortIsMadeAgain models a crash in the middle of a seal:
// some keys written, the mark not moved. The next start reads those
// events again, seals them again, and every key is still a duplicate.
func TestSeenSealCutShortIsMadeAgain(t *testing.T) {
	db := openSeen(t)
	in, stop := runIntake(t, db, 1<<20, nil) // never seals by itself
	first := map[string]int64{}
	var rows []sealRow
	for i := range 10 {
		key := fmt.Sprintf("k%d", i)
		r := storeKey(t, in, key)
		first[key] = r.ID
		rows = append(rows, sealRow{hash: sealedHash(seenKeyOf("lb", key)), id: r.ID, at: time.Now().Unix()})
	}
	stop()
	if err := in.sealChunk(context.Background(), rows[:5], false, rows[9].id); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM state WHERE name = 'seen_keys.through'`); n != 0 {
		t.Fatal("a seal cut short moved the mark")
	}
	again, _ := runIntake(t, db, 4, nil)
	checkDuplicates(t, again, first)
	if n := sealedKeys(t, db); n != 8 {
		t.Fatalf("%d keys sealed after the restart, want 8 (two complete seals)", n)
	}
	if n := count(t, db, `SELECT CAST(value AS INTEGER) FROM state WHERE name = 'seen_keys.through'`); int64(n) != rows[7].id {
		t.Fatalf("mark %d, want %d", n, rows[7].id)
	}
}

// TestPowerCutTakesBackASeal: seals do not wait for the disk. Whatever of
// them a power cut takes back, every acknowledged key is a duplicate on the
// database as it is after the cut.
func TestPowerCutTakesBackASeal(t *testing.T) {
	pc := newPowerCut(t)
	in, stop := runIntake(t, pc.db, 4, nil)
	first := map[string]int64{}
	for i := range 10 {
		key := fmt.Sprintf("k%d", i)
		first[key] = storeKey(t, in, key).ID
	}
	stop()
	cut := pc.open()
	if live, after := sealedKeys(t, pc.db), sealedKeys(t, cut); after > live {
		t.Fatalf("%d sealed keys after the cut, %d before", after, live)
	}
	again, _ := runIntake(t, cut, 4, nil)
	checkDuplicates(t, again, first)
}

var sealTable = flag.Int("seal.keys", 1_000_000, "keys in seen_keys before BenchmarkSeenSeal's seals")

// BenchmarkSeenSeal measures mergeEvery seals of 65,536 keys (the last of
// them merging seen_keys_new into seen_keys) with seen_keys holding
// -seal.keys keys (1,000,000: about 10 days at 100,000 events a day;
// 14,000,000: the 14-day window at 1,000,000 a day): the time of a seal,
// the bytes the seals write (WAL frames and checkpoints) and the disk a
// key takes:
//
//	go test ./internal/sqlite -run '^$' -bench SeenSeal -benchtime 1x
func BenchmarkSeenSeal(b *testing.B) {
	db, err := Open(context.Background(), filepath.Join(b.TempDir(), "syncd.db"), Options{DeferSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	in := db.NewIntake(IntakeOptions{})
	n := 0
	sealKeys := func(count int) (time.Duration, int64) {
		keys := make(map[seenKey]seenEntry, count)
		for range count {
			n++
			keys[seenKeyOf("lb", fmt.Sprint(n))] = seenEntry{id: int64(n), at: time.Now().UnixNano()}
		}
		start, written := time.Now(), bytesWritten()
		if err := in.seal(context.Background(), sealJob{keys: keys, through: int64(n), hash: sealedHash}); err != nil {
			b.Fatal(err)
		}
		return time.Since(start), bytesWritten() - written
	}
	for n < *sealTable { // filled in random order, as seals fill it, but in larger ones
		sealKeys(min(*sealTable-n, 16*defaultSealEvery))
	}
	if err := in.merge(context.Background()); err != nil {
		b.Fatal(err)
	}
	in.unmerged = 0
	var pages, freePages, pageSize int
	for b.Loop() {
		var took, longest time.Duration
		var written int64
		for range mergeEvery {
			d, w := sealKeys(defaultSealEvery)
			took, longest, written = took+d, max(longest, d), written+w
		}
		db.w.QueryRow(`PRAGMA page_count`).Scan(&pages)
		db.w.QueryRow(`PRAGMA freelist_count`).Scan(&freePages)
		db.w.QueryRow(`PRAGMA page_size`).Scan(&pageSize)
		keys := float64(mergeEvery * defaultSealEvery)
		b.Logf("%d seals of %d keys into %d: %v a seal (the longest, merging: %v), %.1f MB written a seal (%.0f bytes per key); %.1f bytes on disk per key",
			mergeEvery, defaultSealEvery, n-mergeEvery*defaultSealEvery, took/mergeEvery, longest,
			float64(written)/1e6/mergeEvery, float64(written)/keys, float64((pages-freePages)*pageSize)/float64(n))
		b.ReportMetric(float64(took.Milliseconds())/mergeEvery, "ms/seal")
		b.ReportMetric(float64(written)/keys, "written-B/key")
	}
}

// bytesWritten is what the process has written so far (write calls, to
// the page cache or the disk), from /proc/self/io.
func bytesWritten() int64 {
	b, _ := os.ReadFile("/proc/self/io")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "wchar:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return 0
}

// TestSealStartsWithoutADelivery: keys seen while a seal runs are sealed
// once it ends, without waiting for another delivery to start their seal
// (TestSeenMergedKeysFindDuplicates waited for it in vain, now and then,
// on a loaded machine).
func TestSealStartsWithoutADelivery(t *testing.T) {
	db := openSeen(t)
	k0 := seenKeyOf("lb", "k0")
	release := make(chan struct{})
	var stored atomic.Bool // k0 stored: from then on only the sealer hashes it
	hash := func(k seenKey) int64 {
		if k == k0 && stored.Load() {
			<-release
		}
		return sealedHash(k)
	}
	in, _ := runIntake(t, db, 4, hash)
	for i := range 8 { // the first four are sealed, the next four seen while that seal waits
		storeKey(t, in, fmt.Sprintf("k%d", i))
		stored.Store(true)
	}
	close(release)
	waitSealed(t, db, 8)
}
