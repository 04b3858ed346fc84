package hubspot_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// countedLinks is the daemon's store, counting the adapter's link reads:
// Link one key at a time, LinksFor a batch's at once.
type countedLinks struct {
	*sqlite.DB
	one, batch atomic.Int64
}

func (c *countedLinks) Link(ctx context.Context, target string, kind syncd.RecordKind, key string) (string, error) {
	c.one.Add(1)
	return c.DB.Link(ctx, target, kind, key)
}

func (c *countedLinks) LinksFor(ctx context.Context, target string, kind syncd.RecordKind, keys []string) (map[string]string, error) {
	c.batch.Add(1)
	return c.DB.LinksFor(ctx, target, kind, keys)
}

// TestABatchReadsItsLinksAtOnce: writing 100 leads syncd wrote before,
// the adapter reads the links of the batch's contacts (by email), of its
// deals (by lead id), of the contacts of deals given without their id,
// and, pairing HubSpot's answers that echo no input, of the records left
// unpaired: each in one query of the store, where it read them one key at
// a time (a query and some 22 allocations a lead: the twenty-third
// session's BenchmarkPipeline). What it writes does not change.
func TestABatchReadsItsLinksAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	links := &countedLinks{DB: db}
	srv, a := setup(t, crmfake.Options{NoEcho: true, Seed: 7}, hubspot.Options{Links: links})
	cs, ds := leads(100)
	cr, dr := deliver(t, a, cs, ds, 3)
	checkClean(t, srv, 100, cr, dr)
	checkPairs(t, srv, cs, cr, dr)
	for i := range cs { // as the syncer records them once the operations are done
		if err := db.SetLink(ctx, hubspot.Name, syncd.RecordContact, cs[i].Key, cr[i].ID); err != nil {
			t.Fatal(err)
		}
		if err := db.SetLink(ctx, hubspot.Name, syncd.RecordDeal, ds[i].LeadID, dr[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	links.one.Store(0)
	links.batch.Store(0)
	again := a.UpsertContacts(ctx, cs)
	againD := a.UpsertDeals(ctx, ds) // no contact ids: the adapter reads them
	for i := range cs {
		if again[i].Err != nil || again[i].ID != cr[i].ID || againD[i].Err != nil || againD[i].ID != dr[i].ID {
			t.Fatalf("lead %d written again: %+v, %+v; want %s, %s", i, again[i], againD[i], cr[i].ID, dr[i].ID)
		}
	}
	checkClean(t, srv, 100, again, againD)
	checkPairs(t, srv, cs, again, againD)
	// Contacts: those written before, and those left unpaired; deals: the
	// same, and their contacts' ids.
	if one, batch := links.one.Load(), links.batch.Load(); one != 0 || batch == 0 || batch > 5 {
		t.Fatalf("200 records read their links in %d queries of one key and %d of a batch; want none and at most 5", one, batch)
	}
}

// BenchmarkRewriteLinked measures a call of 100 contacts and one of their
// 100 deals, all written before and linked in the daemon's store (SQLite),
// against the fake HubSpot over loopback, as the syncer hands them over
// (deals with their contacts' ids): the adapter's link reads, with the
// calls around them. Compare allocations in interleaved runs of two
// commits' test binaries:
//
//	go test -c -o /tmp/hubspot.test ./internal/crm/hubspot
//	/tmp/hubspot.test -test.run '^$' -test.bench RewriteLinked -test.benchmem -test.count 5
func BenchmarkRewriteLinked(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	srv := crmfake.New(crmfake.Options{Kind: crmfake.KindHubSpot, Token: token})
	base := srv.Start()
	defer srv.Close()
	a := hubspot.New(hubspot.Options{BaseURL: base, Token: token, Links: db, HTTP: crm.Options{RateLimit: -1}})
	cs, ds := leads(100)
	cr, dr := crmtest.Deliver(ctx, a, cs, ds, 3)
	for i := range cs {
		if cr[i].Err != nil || dr[i].Err != nil {
			b.Fatalf("lead %d: %v / %v", i, cr[i].Err, dr[i].Err)
		}
		_ = db.SetLink(ctx, hubspot.Name, syncd.RecordContact, cs[i].Key, cr[i].ID)
		_ = db.SetLink(ctx, hubspot.Name, syncd.RecordDeal, ds[i].LeadID, dr[i].ID)
		ds[i].ContactID = cr[i].ID
	}
	b.ResetTimer()
	for range b.N {
		for _, r := range append(a.UpsertContacts(ctx, cs), a.UpsertDeals(ctx, ds)...) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
	}
}
