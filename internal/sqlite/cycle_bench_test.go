package sqlite_test

import (
	"context"
	"flag"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/storetest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var cycleLeads = flag.Int("cycle.leads", 20000, "leads BenchmarkOutboxCycle puts through the store")
var cycleScattered = flag.Bool("cycle.scattered", false, "contact emails in no order, as real clients' are (else lead0000001@, lead0000002@, …)")
var cycleDealKeys = flag.String("cycle.dealkeys", "ordered", "the deals' keys: ordered (lb:1, lb:2, … as the earlier sessions measured) or hashed (lokalebasen:sha256:<hash>, in no order, as real Lokalebasen deals' are)")
var cycleBatch = flag.Int("cycle.batch", 100, "events per mapping transaction and operations per claim in BenchmarkOutboxCycle")

// BenchmarkOutboxCycle puts -cycle.leads leads through the store as the
// daemon does, without HTTP, rules or CRM: the intake stores ~700-byte
// events (group commit), the mapper's side reads them and records a contact
// and a deal operation each (100 events per transaction, -cycle.batch), and
// the syncer's side finishes and claims them 100 at a time as done, each under a
// context that can be cancelled, as the daemon's workers are. It reports the
// process's CPU time per lead for each of the three, from getrusage, which
// a shared machine disturbs far less than wall time. Then, on a second
// database given the same events, it measures the floor of an outbox that
// derives operations from events by a cursor (the README's "Thirteenth
// session"): each event's state and its two CRM links, with no operation rows
// (RecordCursorFloor), and, on a third, the operations inserted as done
// beside them (RecordSentFloor: no claim, no finish), each against the
// mapping and sync stores' sum:
//
//	go test ./internal/sqlite -run '^$' -bench OutboxCycle -benchtime 1x
//
// The contacts' emails follow the leads' ids; -cycle.scattered gives them
// in no order, as real clients' are, so that each key lands on an index
// page of its own once a backlog's keys outgrow a few pages.
// -cycle.dealkeys hashed does the same for the deals' keys, which a
// Lokalebasen enquiry's body hash makes (lokalebasen:sha256:…), for the
// b-trees keyed by them (outbox_once, crm_links).
func BenchmarkOutboxCycle(b *testing.B) {
	if *cycleDealKeys != "ordered" && *cycleDealKeys != "hashed" {
		b.Fatalf("-cycle.dealkeys %q: give ordered or hashed", *cycleDealKeys)
	}
	for b.Loop() {
		db, err := sqlite.Open(context.Background(), b.TempDir()+"/syncd.db", sqlite.Options{DeferSync: true})
		if err != nil {
			b.Fatal(err)
		}
		n := *cycleLeads
		intake, intakeW := cpuOf(func() { cycleIntake(b, db, n) })
		mapped, mappedW := cpuOf(func() {
			cycleMap(b, db, func(ctx context.Context, ms []syncd.Mapping) error {
				_, err := db.RecordMappings(ctx, ms)
				return err
			})
		})
		synced, syncedW := cpuOf(func() { cycleSync(b, db, n) })
		db.Close()
		floor, floorW := cycleFloor(b, n, false)
		done, doneW := cycleFloor(b, n, true)
		per := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(n) }
		kb := func(w int64) float64 { return float64(w) / 1024 / float64(n) }
		b.Logf("%d leads, CPU per lead: intake %.1f µs, mapping store %.1f µs, sync store %.1f µs",
			n, per(intake), per(mapped), per(synced))
		b.Logf("bytes written per lead (WAL and checkpoints): intake %.1f KiB, mapping store %.1f KiB, sync store %.1f KiB",
			kb(intakeW), kb(mappedW), kb(syncedW))
		b.Logf("a cursor design's floor (event state and two links, no operations): %.1f µs and %.1f KiB a lead, %.2f of the mapping and sync stores' CPU",
			per(floor), kb(floorW), float64(floor)/float64(mapped+synced))
		b.Logf("operations inserted as done (no claim, no finish): %.1f µs and %.1f KiB a lead, %.2f of the mapping and sync stores' CPU",
			per(done), kb(doneW), float64(done)/float64(mapped+synced))
		b.ReportMetric(per(intake), "intake-µs/lead")
		b.ReportMetric(per(mapped), "map-µs/lead")
		b.ReportMetric(per(synced), "sync-µs/lead")
		b.ReportMetric(kb(mappedW+syncedW), "outbox-KiB/lead")
		b.ReportMetric(per(floor), "cursor-floor-µs/lead")
		b.ReportMetric(per(done), "inserted-done-µs/lead")
	}
}

// cpuOf is the CPU time (user and system) the process spends in fn, and
// the bytes it hands to write calls meanwhile (BytesWritten).
func cpuOf(fn func()) (time.Duration, int64) {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start, w := cpu(), sqlite.BytesWritten()
	fn()
	return cpu() - start, sqlite.BytesWritten() - w
}

// cycleIntake stores n events through db's intake (storetest.BenchIntake).
func cycleIntake(b *testing.B, db *sqlite.DB, n int) {
	storetest.BenchIntake(b, db.NewIntake(sqlite.IntakeOptions{}), n)
}

// daemonContext is a context as the daemon's workers have: one that can be
// cancelled (on SIGTERM), which changes how the driver runs statements.
func daemonContext(b *testing.B) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	return ctx
}

// cycleMap reads the pending events in batches of -cycle.batch and records
// each batch with a contact and a deal operation per event by record.
func cycleMap(b *testing.B, db *sqlite.DB, record func(context.Context, []syncd.Mapping) error) {
	storetest.BenchMap(b, daemonContext(b), *cycleBatch, db.PendingEvents, record, cycleOps)
}

// cycleFloor stores n events in a new database and records each as mapped
// with its two CRM links, as a cursor design would once the CRM took them
// (RecordCursorFloor), or, asDone, with its two operations inserted as
// done as well (RecordSentFloor): the CPU and bytes of that recording alone.
func cycleFloor(b *testing.B, n int, asDone bool) (time.Duration, int64) {
	db, err := sqlite.Open(context.Background(), b.TempDir()+"/floor.db", sqlite.Options{DeferSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	cycleIntake(b, db, n)
	record := db.RecordCursorFloor
	if asDone {
		record = db.RecordSentFloor
	}
	return cpuOf(func() { cycleMap(b, db, record) })
}

// cycleOps are a lead's contact and deal (storetest.BenchLeadOpsKeyed), its
// email following its id or, with -cycle.scattered, in no order, and its
// deal keyed lb:<id> or, with -cycle.dealkeys hashed, as a Lokalebasen
// enquiry's is, in no order.
func cycleOps(id int64) []syncd.Op {
	email := fmt.Sprintf("lead%07d@example.com", id)
	if *cycleScattered { // the id times an odd constant modulo 2^32: one each, in no order
		email = fmt.Sprintf("l%08x@example.com", uint32(id)*2654435761)
	}
	deal := fmt.Sprintf("lb:%d", id)
	if *cycleDealKeys == "hashed" {
		deal = storetest.BenchHashedDealKey(id)
	}
	return storetest.BenchLeadOpsKeyed(id, email, deal)
}

func cycleSync(b *testing.B, db *sqlite.DB, n int) {
	ctx := daemonContext(b)
	var finished []syncd.Op
	left := 2 * n
	for left > 0 {
		progressed := false
		for _, kind := range []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal} {
			ops, err := db.FinishAndClaimOps(ctx, finished, "hubspot", kind, *cycleBatch, time.Minute)
			if err != nil {
				b.Fatal(err)
			}
			finished = finished[:0]
			for _, op := range ops {
				op.State, op.CRMID = syncd.OpDone, fmt.Sprint(op.ID)
				finished = append(finished, op)
			}
			left -= len(ops)
			progressed = progressed || len(ops) > 0
		}
		if !progressed {
			b.Fatalf("%d operations left unclaimed", left)
		}
	}
	if err := db.FinishOps(ctx, finished); err != nil {
		b.Fatal(err)
	}
}
