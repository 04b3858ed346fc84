package main_test

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestOldErasuresLoseTheirIdentifiers: the erasure audit in the database
// and the erasure log beside it kept, for ever, the identifiers each
// erasure was made under, as hashes keyed by a salt kept beside them:
// whoever holds the database or the log can test an email or a phone
// number against them (a phone's digits are soon tried), so they name the
// person. Past retention.erasure_days the purge now drops them from both;
// that the erasure happened, when, and its counts stay.
func TestOldErasuresLoseTheirIdentifiers(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "retention:\n  erasure_days: 30\n")
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	const email = "support@estateagentfeeds.com"
	syncdOK(t, "erase", "-config", config, "-email", email)
	erasures := func() []any {
		list, _ := exportOf(t, config, email)["erasures"].([]any)
		return list
	}
	if out := syncdOK(t, "purge", "-config", config); len(erasures()) != 1 || !strings.Contains(out, "the identifiers of 0 erasures") {
		t.Fatalf("within erasure_days: the export finds %d erasures, want 1; purge said:\n%s", len(erasures()), out)
	}
	logPath := filepath.Join(dir, "data", "syncd-erasures.jsonl")
	before := readLog(t, logPath)
	if len(before) != 2 || before[1]["email"] == nil {
		t.Fatalf("the erasure log after the erase: %v", before)
	}
	ageErasure(t, dir, logPath, 31*24*time.Hour)
	aged := readLog(t, logPath)

	out := syncdOK(t, "purge", "-config", config)
	if !strings.Contains(out, "the identifiers of 1 erasure") || !strings.Contains(out, "erasure log: the identifiers of 1 erasure dropped") {
		t.Errorf("purge past erasure_days said:\n%s", out)
	}
	if got := erasures(); len(got) != 0 {
		t.Errorf("past erasure_days the export still finds the person's erasure: %v", got)
	}
	after := readLog(t, logPath)
	if len(after) != 2 || after[0]["salt"] != before[0]["salt"] || after[1]["email"] != nil || after[1]["at"] != aged[1]["at"] {
		t.Errorf("the erasure log past erasure_days: %v; want its salt, and the entry at its time without the email's hash", after)
	}
	var kept int
	db := openDB(t, filepath.Join(dir, "data", "syncd.db"))
	if err := db.QueryRow(`SELECT count(*) FROM erasures WHERE events = 1 AND subject_hash = ''`).Scan(&kept); err != nil || kept != 1 {
		t.Errorf("the audit entry of the erasure: %d kept without its hash (%v), want 1 with its count", kept, err)
	}
	if out := syncdOK(t, "purge", "-config", config); !strings.Contains(out, "the identifiers of 0 erasures") || strings.Contains(out, "erasure log:") {
		t.Errorf("purge again said:\n%s", out)
	}
}

// readLog reads the erasure log at path, one JSON object a line.
func readLog(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("erasure log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// openDB opens the SQLite database at path, closed at the end of the test.
func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// ageErasure moves every erasure back by age, in the database under dir
// and in the erasure log at logPath, as if made that long ago.
func ageErasure(t *testing.T, dir, logPath string, age time.Duration) {
	t.Helper()
	db := openDB(t, filepath.Join(dir, "data", "syncd.db"))
	then := time.Now().Add(-age).UTC()
	if _, err := db.Exec(`UPDATE erasures SET at = ?`, then.Format("2006-01-02T15:04:05.000000Z")); err != nil {
		t.Fatal(err)
	}
	entries := readLog(t, logPath)
	var b strings.Builder
	for i, e := range entries {
		if i > 0 {
			e["at"] = then.Format(time.RFC3339Nano) // as the log writes it
		}
		line, _ := json.Marshal(e)
		b.Write(append(line, '\n'))
	}
	if err := os.WriteFile(logPath, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}
