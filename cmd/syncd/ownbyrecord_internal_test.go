package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestOwnByRecordSaysWhatTheRecordIs: on PostgreSQL with listen on a
// port chosen at start, status tells this host's instance down by the
// record in its data directory: none there (stopped cleanly, or never
// started), one of another file and database (none of this one's), one
// of this file whose daemon does not answer (killed), and, the record
// closed to this user, that it cannot tell.
func TestOwnByRecordSaysWhatTheRecordIs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	cfg := &config.Config{DataDir: dir}
	const db = "postgres://127.0.0.1:5432/syncd"
	if own := ownByRecord(cfg, file, "127.0.0.1:0", db); own.unknown || !strings.Contains(own.why, "none is there") {
		t.Errorf("no record: %+v", own)
	}
	r := servingRecord{Config: filepath.Join(dir, "other.yaml"), Listen: "127.0.0.1:4242", DataDir: dir,
		Database: "postgres://127.0.0.1:5432/other", PID: 77, Started: time.Now()}
	if err := writeServing(r); err != nil {
		t.Fatal(err)
	}
	if own := ownByRecord(cfg, file, "127.0.0.1:0", db); own.unknown || !strings.Contains(own.why, "none is there") {
		t.Errorf("another file's and database's record: %+v", own)
	}
	r.Config = file
	if err := writeServing(r); err != nil {
		t.Fatal(err)
	}
	if own := ownByRecord(cfg, file, "127.0.0.1:0", db); own.unknown ||
		!strings.Contains(own.why, "pid 77 at 127.0.0.1:4242, started ") || !strings.Contains(own.why, "does not answer: it was killed or crashed") {
		t.Errorf("this file's record: %+v", own)
	}
	if os.Geteuid() == 0 {
		t.Log("root reads every record: the record closed to this user is not tried")
		return
	}
	os.Chmod(dir, 0)
	defer os.Chmod(dir, 0o700)
	if own := ownByRecord(cfg, file, "127.0.0.1:0", db); !own.unknown || !strings.Contains(own.why, "this user may not read") {
		t.Errorf("a record this user may not read: %+v", own)
	}
}
