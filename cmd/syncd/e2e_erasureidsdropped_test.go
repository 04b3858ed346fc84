package main_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestErasedEventPastErasureDaysSaysExportNoLongerFindsIt: past
// retention.erasure_days the purge drops the identifiers an erasure was
// made under, keeping its audit entry (time, counts); syncd export of the
// person then no longer finds it. events show of an event it erased still
// said "syncd export of the person shows the audit". It now says that the
// entry keeps its time and counts alone and that export no longer finds
// it; events list names no erasure under its table.
func TestErasedEventPastErasureDaysSaysExportNoLongerFindsIt(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	erased := postTestdata(t, d, "lokalebasen/enquiry_created.json").ID
	waitFor(t, "the event to be mapped", func() bool {
		out, _, _ := syncdRun(t, "events", "list", "-config", config)
		return !strings.Contains(out, "pending")
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")
	if out := syncdOK(t, "events", "show", "-config", config, erased); !strings.Contains(out, "syncd export of the person shows it") {
		t.Fatalf("events show of an event erased today names no audit:\n%s", out)
	}
	// The erasure made 400 days ago, past erasure_days (365).
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "data", "syncd.db"))
	if err != nil {
		t.Fatal(err)
	}
	const long = "2025-11-01T00:00:00.000000Z"
	for _, q := range []string{`UPDATE events SET erased_at = ?1 WHERE erased_at IS NOT NULL`,
		`UPDATE quarantine SET erased_at = ?1 WHERE erased_at IS NOT NULL`, `UPDATE erasures SET at = ?1`} {
		if _, err := db.Exec(q, long); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if out := syncdOK(t, "purge", "-config", config); !strings.Contains(out, "the identifiers of 1 erasure") {
		t.Fatalf("purge does not drop the erasure's identifiers:\n%s", out)
	}
	out := syncdOK(t, "events", "show", "-config", config, erased)
	t.Logf("syncd events show %s:\n%s", erased, out)
	if strings.Contains(out, "syncd export of the person shows") || strings.Contains(out, "erasure_subject") {
		t.Errorf("events show still sends the operator to export, which finds the erasure no more:\n%s", out)
	}
	if !strings.Contains(out, "were dropped after retention.erasure_days, so syncd export no longer finds it") {
		t.Errorf("events show does not say the erasure's identifiers were dropped:\n%s", out)
	}
	if table := syncdOK(t, "events", "list", "-config", config); strings.Contains(table, "syncd export of the person shows") {
		t.Errorf("events list:\n%s", table)
	}
}
