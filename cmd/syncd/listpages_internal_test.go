package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// listingDB is an SQLite database holding events of source eaf (bodies
// of about 40 bytes, and pad more), and quarantined bodies of eaf and
// lokalebasen (one in three), stored by the intake as the daemon stores
// them.
func listingDB(t testing.TB, events, quarantined, pad int) *sqlite.DB {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{DeferSync: true})
	if err != nil {
		t.Fatal(err)
	}
	in := db.NewIntake(sqlite.IntakeOptions{})
	done := make(chan struct{})
	go func() { in.Run(ctx); close(done) }()
	t.Cleanup(func() { db.Close() })
	defer func() { stop(); <-done }()
	var wg sync.WaitGroup
	for c := range 16 { // at once, so that the intake groups them
		wg.Go(func() {
			for i := c; i < events+quarantined; i += 16 {
				src, kind, body := "eaf", syncd.KindEAF, fmt.Sprintf(`{"eaf_type":"feed_import","eaf_id":"%d","note":"%s"}`, i, strings.Repeat("x", pad))
				if i >= events {
					body = fmt.Sprintf(`{"eaf_id":%d,,`, i)
					if i%3 == 0 {
						src, kind = "lokalebasen", syncd.KindLokalebasen
					}
				}
				d := sender.Decode(kind, []byte(body), 0) // the receiver's own rules
				inc := syncd.Incoming{Source: src, Kind: kind, Type: d.Type, Key: d.Key, Body: []byte(body), Payload: d.Payload,
					Parse: d.Parse, Quarantine: d.Reason != "", Reason: d.Reason}
				if _, err := in.Store(ctx, inc); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return db
}

// listedIDs are the ids in the first column of a listing's rows, after its
// heading(s), and the line saying how many more there are ("" when none).
func listedIDs(t *testing.T, out string) (ids []string, more string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		switch f := strings.Fields(line); {
		case len(f) == 0 || f[0] == "ID":
		case f[0] == "...":
			more = line
		default:
			ids = append(ids, f[0])
		}
	}
	return ids, more
}

// TestQuarantinedListingKeepsToItsLimit: `events list -quarantined` lists
// at most -limit bodies (100 by default), of the -source asked for, newest
// first, and says how many older ones it left out, as the events' listing
// does. It listed every quarantined body there was, whatever -limit said,
// and read them all (each up to http.max_body_bytes) to keep those of one
// source: a year of a misbehaving sender's bodies in one screen.
func TestQuarantinedListingKeepsToItsLimit(t *testing.T) {
	t.Parallel()
	db := listingDB(t, 0, 12, 0) // 0, 3, 6 and 9 of lokalebasen, 8 of eaf
	var out strings.Builder
	c := &cli{stdout: &out, stderr: &out}
	f := syncd.EventFilter{Source: "eaf", Newest: true}
	if code := c.listQuarantine(context.Background(), db, cph, f, 3, false); code != exitOK {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	ids, more := listedIDs(t, out.String())
	var eaf []string
	qs, err := db.Quarantined(context.Background(), syncd.EventFilter{Source: "eaf", Newest: true})
	if err != nil || len(qs) != 8 {
		t.Fatalf("%d eaf bodies stored, %v", len(qs), err)
	}
	for _, q := range qs[:3] {
		eaf = append(eaf, fmt.Sprint(q.ID))
	}
	if strings.Join(ids, " ") != strings.Join(eaf, " ") || more != "... and 5 more (older); -limit 0 shows all" {
		t.Errorf("listed %v, %q; want the newest eaf bodies %v and 5 more:\n%s", ids, more, eaf, out.String())
	}
}
