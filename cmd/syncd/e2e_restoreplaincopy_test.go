package main_test

import (
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestPlainCopyOlderThanTheErasureLogIsARestore: a copy of syncd.db made
// with cp (not syncd backup, which records in its copy when it was taken;
// here with the daemon stopped: one of a running daemon's file lacks its
// -wal, which serve refuses, TestMovedWithoutTheWALRefuses), put back as
// the README's restore steps do,
// after a person was erased: the daemon started on it as on the database
// it replaced, the person's lead held again, body and all, and nothing
// said so. The erasure log beside the database records an erasure the
// copy lacks: the copy is older than it, so it is taken for a restored
// backup, taken at the newest thing it holds. The first start says so and
// erases the person again; status says what was found.
func TestPlainCopyOlderThanTheErasureLogIsARestore(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, config, db, d := startWithTheLead(t, dir)
	waitForRecords(t, fake, d, 1, 1, "the lead")
	// A clean stop checkpoints the WAL into syncd.db: a cp of syncd.db
	// alone then holds the lead.
	syncdOK(t, "erase", "-config", config, "-email", "nobody@example.com")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	copied, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	plain := db + ".plain-copy"
	if err := os.WriteFile(plain, copied, 0o600); err != nil {
		t.Fatal(err)
	}
	d = start(t, config)
	syncdOK(t, "erase", "-config", config, "-email", "support@estateagentfeeds.com")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	restore(t, plain, db)
	d = start(t, config)
	out := syncdOK(t, "events", "show", "-config", config, "1")
	if !strings.Contains(out, "erased by syncd erase") || strings.Contains(out, "estateagentfeeds") {
		t.Errorf("the lead of the person erased after the copy, on the copy put back:\n%s\n%s", out, d.log())
	}
	for _, want := range []string{"database put back from a copy syncd backup did not make",
		"database restored from a backup", "erasure made after the backup was taken applied again"} {
		if !strings.Contains(d.log(), want) {
			t.Errorf("the first start on the copy did not say %q:\n%s", want, d.log())
		}
	}
	out, _, _ = syncdRun(t, "status", "-config", config)
	mustContain(t, "status on the copy put back", out, "restored", "not a copy syncd backup made: the erasure log beside it records an erasure at",
		"stop syncd and put back the database it replaced")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
