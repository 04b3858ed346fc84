package main_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestEraseReachesTheMailTextOfADayWithoutItsWorkbook: a sender that
// made an event type of a person's address ("zelda.canary@example.dk")
// had the day's report name it among its new event types, in the mail's
// text, which the database keeps with the day's record (its subject, HTML
// and summary). syncd erase of the person emptied the type and made the
// workbook again, and the text with it; but where the workbook was no
// longer in report.dir (past report.keep_days, or made on another host)
// nothing was made again, and the text kept the address for ever, as it
// did past the retention purge. Such a day's mail text is now forgotten;
// its counts stay.
func TestEraseReachesTheMailTextOfADayWithoutItsWorkbook(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			text := func() string { return reportText(t, filepath.Join(dir, "data", "syncd.db")) }
			store := ""
			if kind == "postgres" {
				notInShort(t, longOnPostgres)
				dsn := pgtest.DSN(t)
				store = pgStore(t, dir, dsn)
				text = func() string { return pgReportText(t, dsn) }
			}
			config := writeConfigWith(t, dir, store)
			const address = "zelda.canary@example.dk"
			d := start(t, config)
			postTestdata(t, d, "lokalebasen/enquiry_created.json")
			if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(`{"event_type": "`+address+`", "payload": {"n": 1}}`)); err != nil || a.Code != 200 {
				t.Fatalf("post: %+v %v", a, err)
			}
			waitMapped(t, config)
			if err := d.stop(t, syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			day := time.Now().In(copenhagen(t)).Format("2006-01-02") // in the report's zone, the default
			syncdOK(t, "report", "-config", config, "-date", day)
			if rows := text(); !strings.Contains(rows, address) {
				t.Fatalf("the report's mail text does not name the type, nothing to erase:\n%s", rows)
			}
			workbook := filepath.Join(dir, "data", "reports", "leads-"+day+".xlsx")
			if err := os.Remove(workbook); err != nil { // as report.keep_days, or another host, leaves it
				t.Fatal(err)
			}
			out, errOut, code := syncdRun(t, "erase", "-config", config, "-email", address)
			if code != 0 || !strings.Contains(out, "erased: 1 event") {
				t.Fatalf("erase: exit %d\n%s%s", code, out, errOut)
			}
			if rows := text(); strings.Contains(rows, address) {
				t.Errorf("the erased address is still in the report's mail text:\n%s", rows)
			}
			status, _, _ := syncdRun(t, "status", "-config", config)
			if !strings.Contains(status, day) {
				t.Errorf("status no longer names the day's report:\n%s", status)
			}
		})
	}
}

// pgReportText is what reportText is of the PostgreSQL database dsn: the
// report rows of its state table and its reports' summaries.
func pgReportText(t *testing.T, dsn string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT name || ': ' || value FROM state WHERE name LIKE 'report.%'
UNION ALL SELECT 'summary ' || day || ': ' || summary FROM reports`)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "\n")
}

// copenhagen is the report's default zone, Europe/Copenhagen.
func copenhagen(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// reportText is every state row of the database at path that a report
// wrote (report.*), one a line.
func reportText(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name || ': ' || value FROM state WHERE name LIKE 'report.%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "\n")
}

// TestPurgeReachesTheMailTextOfADayWithoutItsWorkbook: the retention
// purge empties a type a sender made of an address from the events past
// retention.event_days, and made the day's workbook again without it, but
// not the mail text the database keeps with the day's record when the
// workbook was gone (past report.keep_days, or on another host): the
// address stayed there for ever. The purge now forgets that text too.
func TestPurgeReachesTheMailTextOfADayWithoutItsWorkbook(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "retention: {event_days: 1}\n")
	const address = "zelda.canary@example.dk"
	d := start(t, config)
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(`{"event_type": "`+address+`", "payload": {"n": 1}}`)); err != nil || a.Code != 200 {
		t.Fatalf("post: %+v %v", a, err)
	}
	waitMapped(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "data", "syncd.db")
	then := time.Now().UTC().AddDate(0, 0, -3)
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	at := then.Format("2006-01-02T15:04:05.000000Z") // received three days ago, past event_days, as syncd writes times
	for _, q := range []string{`UPDATE events SET received_at = ?1, last_delivery_at = ?1`,
		`UPDATE state SET value = ?1 WHERE name = 'retention.events.from'`} {
		if _, err := db.Exec(q, at); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	day := then.In(copenhagen(t)).Format("2006-01-02") // in the report's zone, the default
	syncdOK(t, "report", "-config", config, "-date", day)
	if rows := reportText(t, path); !strings.Contains(rows, address) {
		t.Fatalf("the report's mail text does not name the type, nothing to purge:\n%s", rows)
	}
	if err := os.Remove(filepath.Join(dir, "data", "reports", "leads-"+day+".xlsx")); err != nil {
		t.Fatal(err) // as report.keep_days, or another host, leaves it
	}
	out := syncdOK(t, "purge", "-config", config)
	if !strings.Contains(out, "purged: 1 event body") {
		t.Fatalf("purge purged no event:\n%s", out)
	}
	if rows := reportText(t, path); strings.Contains(rows, address) {
		t.Errorf("the purged type is still in the report's mail text:\n%s", rows)
	}
}
