package report_test

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// benchLeads is the size of the benchmark's day.
var benchLeads = flag.Int("report.leads", 1_000_000, "leads in BenchmarkReport1M's day")

// BenchmarkReport1M makes the report of a day of 1,000,000 leads read from
// SQLite (two outbox operations each), and in the same run the baseline:
// excelize's StreamWriter alone writing as many rows of 12 columns with no
// SQLite. Run it with
//
//	go test ./internal/report -run '^$' -bench Report1M -benchtime 1x
//
// It reports wall and CPU seconds and peak memory of both (peak RSS from
// VmHWM, reset before each phase; peak Go heap sampled) and the ratio
// report/baseline of wall time. The report reads and writes on two
// goroutines, so on a busy machine its wall time suffers more than the
// single-threaded baseline's: compare CPU seconds too.
func BenchmarkReport1M(b *testing.B) {
	ctx := context.Background()
	n := *benchLeads
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		b.Fatal(err)
	}
	day := report.Day{Year: 2026, Month: 3, Day: 10}
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	populate(b, db, day, loc, n)
	b.Logf("populated %d leads and %d outbox operations in %v", n, 2*n, time.Since(start).Round(time.Millisecond))

	dir := b.TempDir()
	baseSec, baseCPU, baseRSS, baseHeap := measure(func() { baseline(b, filepath.Join(dir, "baseline.xlsx"), n) })
	b.ResetTimer()
	var path string
	repSec, repCPU, repRSS, repHeap := measure(func() {
		for i := 0; i < b.N; i++ {
			path, err = report.Make(ctx, day, report.Options{Store: db, Dir: dir, Location: loc, CRM: "hubspot"})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.StopTimer()
	repSec, repCPU = repSec/float64(b.N), repCPU/float64(b.N)
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(repSec, "report-s")
	b.ReportMetric(repCPU, "report-cpu-s")
	b.ReportMetric(repRSS, "report-peak-RSS-MB")
	b.ReportMetric(repHeap, "report-peak-heap-MB")
	b.ReportMetric(baseSec, "baseline-s")
	b.ReportMetric(baseCPU, "baseline-cpu-s")
	b.ReportMetric(baseRSS, "baseline-peak-RSS-MB")
	b.ReportMetric(baseHeap, "baseline-peak-heap-MB")
	b.ReportMetric(repSec/baseSec, "report/baseline-time")
	b.ReportMetric(float64(fi.Size())/1e6, "file-MB")
	b.Logf("report %.1fs (CPU %.1fs), peak RSS %.0f MB; baseline %.1fs (CPU %.1fs), peak RSS %.0f MB; file %.0f MB",
		repSec, repCPU, repRSS, baseSec, baseCPU, baseRSS, float64(fi.Size())/1e6)
}

// cpuSeconds is the CPU time (user and system) the process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// measure runs fn and returns its wall and CPU seconds, the peak RSS in MB
// while it ran (VmHWM after resetting it; 0 where /proc cannot) and the
// peak Go heap in use, sampled every 10ms.
func measure(fn func()) (sec, cpu, rssMB, heapMB float64) {
	runtime.GC()
	debug.FreeOSMemory()
	resetHWM := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		// runtime/metrics, unlike ReadMemStats, does not stop the world.
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if inUse := sample[0].Value.Uint64() + sample[1].Value.Uint64(); inUse > peak.Load() {
				peak.Store(inUse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	start, startCPU := time.Now(), cpuSeconds()
	fn()
	sec, cpu = time.Since(start).Seconds(), cpuSeconds()-startCPU
	close(done)
	if resetHWM {
		rssMB = vmHWM()
	}
	return sec, cpu, rssMB, float64(peak.Load()) / 1e6
}

// vmHWM reads the process's peak resident set size in MB.
func vmHWM() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if f := bytes.Fields(line); len(f) == 3 && string(f[0]) == "VmHWM:" {
			kb, _ := strconv.ParseFloat(string(f[1]), 64)
			return kb / 1024
		}
	}
	return 0
}

// baseline writes n rows of 12 columns shaped like leads with excelize's
// StreamWriter and SaveAs, and nothing else.
func baseline(b *testing.B, path string, n int) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	row := make([]any, 12)
	for i := 1; i <= n; i++ {
		row[0] = at.Add(time.Duration(i) * 86400 * time.Microsecond)
		row[1], row[2] = "lokalebasen", "extra"
		row[3], row[4], row[5] = "Angela Baker "+strconv.Itoa(i), "angela"+strconv.Itoa(i)+"@example.com", "52 25 05 59"
		row[6], row[7] = "Bakers Inc.", "20064 / EJ-593915GV"
		row[8] = "https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064"
		row[9] = "I would like something with a grand view over the city."
		row[10], row[11] = "synced", 1_000_000+i
		cell, _ := excelize.CoordinatesToCellName(1, i)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
}

// populate inserts n leads spread evenly over day (two in three Lokalebasen
// enquiries, one in three EAF email leads) with two outbox operations each
// (about 1% dead, 2% pending), using INSERT … SELECT over a recursive CTE on
// a connection of its own: a million leads through the intake, mapper and
// syncer would take the benchmark's seeding longer than the benchmark.
func populate(b *testing.B, db *sqlite.DB, day report.Day, loc *time.Location, n int) {
	from, to := day.Bounds(loc)
	step := to.Sub(from).Microseconds() / int64(n)
	raw, err := sql.Open("sqlite3", db.Path())
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	tx, err := raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	_, err = tx.Exec(`
WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ?1)
INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
SELECT
  CASE WHEN i % 3 = 2 THEN 'eaf' ELSE 'lokalebasen' END,
  CASE WHEN i % 3 = 2 THEN 'eaf' ELSE 'lokalebasen' END,
  CASE WHEN i % 3 = 2 THEN 'email_lead' ELSE 'enquiry_created' END,
  'k' || i,
  CAST(CASE WHEN i % 3 = 2 THEN
    printf('{"eaf_type":"email_lead","eaf_id":"%d","email_source":"rightmove","contact_name":"EAF Support %d","contact_email":"support%d@estateagentfeeds.com","contact_phone":"+44(0)20 3870 4550","contact_message_html":"This is an enquiry message.","contact_message_flat":"This is an enquiry message.","eaf_reference":"%d","eaf_portal_reference":"%d_EAF_67004","eaf_development_reference":null,"eaf_date":"2021-09-06T06:28:06+01:00","eaf_timestamp":1630906086}', i, i, i, i, i)
  ELSE
    printf('{"event_type":"enquiry_created","payload":{"requested_location":{"href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-%d"},"location":{"id":"%d","external_key":"EJ-%d","href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-%d"},"enquiry":{"type":"%s"},"client":{"email":"angela%d@hotmail.com","name":"Angela Baker %d","company":"Bakers Inc.","phone":"52 25 05 59"},"comment":"I would like something with a grand view over the city."}}', i, i, i, i, CASE WHEN i % 2 = 0 THEN 'extra' ELSE 'direct' END, i, i)
  END AS BLOB),
  'strict', ts, ts, 'mapped'
FROM (SELECT i, strftime('%Y-%m-%dT%H:%M:%S', ?2 + (i * ?3) / 1000000, 'unixepoch') || '.' || printf('%06d', (i * ?3) % 1000000) || 'Z' AS ts FROM seq)`,
		n, from.Unix(), step)
	if err != nil {
		b.Fatal(fmt.Errorf("populate events: %w", err))
	}
	_, err = tx.Exec(`
INSERT INTO outbox (event_id, target, kind, key, properties, props_hash, mapping_file, mapping_hash, state,
  attempts, next_attempt_at, last_error, crm_id, created_at, updated_at)
SELECT id, 'hubspot', k.kind, k.kind || id, '{}', 'h', 'm.yaml', 'h',
  CASE WHEN id % 100 = 0 THEN 'dead' WHEN id % 50 = 1 THEN 'pending' ELSE 'done' END, 1, received_at,
  CASE WHEN id % 100 = 0 THEN 'crm 400 VALIDATION_ERROR: invalid email' ELSE '' END,
  CASE WHEN id % 100 = 0 OR id % 50 = 1 THEN '' ELSE CAST(1000000 + id AS TEXT) END,
  received_at, received_at
FROM events, (SELECT 'contact' AS kind UNION ALL SELECT 'deal') AS k`)
	if err != nil {
		b.Fatal(fmt.Errorf("populate outbox: %w", err))
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
