package syncer_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// clock is a simulated clock shared by the store and the syncer.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// openDB opens a real database in t.TempDir() on clk.
func openDB(t testing.TB, clk *clock) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if clk != nil {
		db.Now = clk.Now
	}
	return db
}

// email is the contact key of lead i.
func email(i int) string { return fmt.Sprintf("lead%05d@example.com", i) }

// leadID is the deal key of lead i.
func leadID(i int) string { return fmt.Sprintf("lb-%05d", i) }

// enqueueLeads stores one event per lead and its contact and deal ops for
// target, leads [from, to).
func enqueueLeads(t testing.TB, db *sqlite.DB, target string, from, to int) {
	t.Helper()
	enqueueLeadsWith(t, db, target, from, to, nil)
}

// enqueueLeadsWith is enqueueLeads with tweak applied to each lead's ops.
// The events come in through the intake and their ops go into the outbox
// as the mapper records them (RecordMappings), in lead order.
func enqueueLeadsWith(t testing.TB, db *sqlite.DB, target string, from, to int, tweak func(i int, contact, deal *syncd.Op)) {
	t.Helper()
	ids := storeLeadEvents(t, db, target, from, to)
	var ms []syncd.Mapping
	var want int
	for i := from; i < to; i++ {
		lead := leadOps(ids[i-from], target, i)
		if tweak != nil {
			tweak(i, &lead[0], &lead[1])
		}
		ms = append(ms, syncd.Mapping{EventID: ids[i-from], State: syncd.MapMapped, Ops: lead})
		want += len(lead)
	}
	if n, err := db.RecordMappings(context.Background(), ms); err != nil || n != want {
		t.Fatalf("enqueue = %d, %v; want %d", n, err, want)
	}
}

// storeLeadEvents stores one event per lead [from, to) through the intake,
// as the webhook does (many deliveries at once, group committed), and
// returns their ids in lead order.
func storeLeadEvents(t testing.TB, db *sqlite.DB, target string, from, to int) []int64 {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	in := db.NewIntake(sqlite.IntakeOptions{})
	stopped := make(chan error, 1)
	go func() { stopped <- in.Run(ctx) }()
	defer func() { cancel(); <-stopped }()
	ids := make([]int64, to-from)
	errs := make(chan error, to-from)
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := from + w; i < to; i += 16 {
				r, err := in.Store(ctx, syncd.Incoming{Source: "test", Kind: syncd.KindEAF, Type: "portal_submission",
					Key: fmt.Sprintf("test:%s:%d", target, i), Body: []byte("{}"), Parse: syncd.ParseStrict,
					ReceivedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
				if err != nil || r.Outcome != syncd.Accepted {
					errs <- fmt.Errorf("store lead %d = %+v, %v", i, r, err)
				}
				ids[i-from] = r.ID
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return ids
}

// leadOps are the contact and deal ops of lead i.
func leadOps(eventID int64, target string, i int) []syncd.Op {
	if target == pipedrive.Name { // Pipedrive's own names (firstname, dealname: custom fields of the rig)
		return []syncd.Op{
			{EventID: eventID, Target: target, Kind: syncd.RecordContact, Key: email(i),
				Properties:  map[string]string{"email": email(i), "name": fmt.Sprint("Lead ", i), "firstname": fmt.Sprint("Lead ", i)},
				MappingFile: "eaf.yaml", MappingHash: "h"},
			{EventID: eventID, Target: target, Kind: syncd.RecordDeal, Key: leadID(i), ContactKey: email(i),
				Properties:  map[string]string{"title": fmt.Sprint("Enquiry ", i), "dealname": fmt.Sprint("Enquiry ", i), "stage": "Qualified"},
				MappingFile: "eaf.yaml", MappingHash: "h"},
		}
	}
	return []syncd.Op{
		{EventID: eventID, Target: target, Kind: syncd.RecordContact, Key: email(i),
			Properties:  map[string]string{"email": email(i), "firstname": fmt.Sprint("Lead ", i), "lastname": "Test"},
			MappingFile: "eaf.yaml", MappingHash: "h"},
		{EventID: eventID, Target: target, Kind: syncd.RecordDeal, Key: leadID(i), ContactKey: email(i),
			Properties:  map[string]string{"dealname": fmt.Sprint("Enquiry ", i), "dealstage": "appointmentscheduled", "pipeline": "default"},
			MappingFile: "eaf.yaml", MappingHash: "h"},
	}
}

// newSyncer builds a syncer on db and crm with test-friendly defaults.
func newSyncer(t testing.TB, db *sqlite.DB, crm syncd.CRM, clk *clock, tweak func(*syncer.Options)) *syncer.Syncer {
	t.Helper()
	o := syncer.Options{Store: db, CRM: crm, Log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel),
		MaxAttempts: 5, RetryBase: time.Second, RetryMax: time.Minute}
	if clk != nil {
		o.Now = clk.Now
	}
	if tweak != nil {
		tweak(&o)
	}
	s, err := syncer.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// allOps lists every op of the outbox.
func allOps(t testing.TB, db *sqlite.DB) []syncd.Op {
	t.Helper()
	var out []syncd.Op
	var after int64
	for {
		page, err := db.ListOps(context.Background(), sqlite.OpFilter{AfterID: after, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		after = page[len(page)-1].ID
	}
}

// countStates counts ops by state.
func countStates(ops []syncd.Op) map[syncd.OpState]int {
	n := map[syncd.OpState]int{}
	for _, op := range ops {
		n[op.State]++
	}
	return n
}

// opsOfLead returns the ops made from lead i's event, in id order.
func opsOfLead(t testing.TB, db *sqlite.DB, i int) []syncd.Op {
	t.Helper()
	return opsOfEventWith(t, db, syncd.RecordContact, email(i))
}

// opsOfEventWith returns the ops made from the event that made the
// operation of kind on key, in id order; none when no operation has them.
func opsOfEventWith(t testing.TB, db *sqlite.DB, kind syncd.RecordKind, key string) []syncd.Op {
	t.Helper()
	all := allOps(t, db)
	var ev int64
	for _, op := range all {
		if op.Kind == kind && op.Key == key {
			ev = op.EventID
		}
	}
	var ops []syncd.Op
	for _, op := range all {
		if ev != 0 && op.EventID == ev {
			ops = append(ops, op)
		}
	}
	return ops
}
