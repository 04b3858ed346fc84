package main_test

import (
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestExportOnARestoreRefusesThePersonErasedSince: a backup is restored
// (the README's steps) after a person was erased, and the DPO exports
// that person before the daemon's first start on it, which would erase
// them again from the erasure log. The export handed over the lead the
// person had erased, body and all. It refuses (exit 5), saying to start
// syncd first; once started, the export holds the erasure, not the lead.
// Another person's export on the same copy is not held up; one by event
// ids or a name, whose person is not known, is refused alike.
func TestExportOnARestoreRefusesThePersonErasedSince(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, config, db, d := startWithTheLead(t, dir)
	waitForRecords(t, fake, d, 1, 1, "the lead")
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitForRecords(t, fake, d, 2, 2, "the second lead")
	backup := backUp(t, config)
	syncdOK(t, "erase", "-config", config, "-email", "Support@EstateAgentFeeds.com")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	restore(t, backup, db)

	out, stderr, code := syncdRun(t, "export", "-config", config, "-email", "support@estateagentfeeds.com")
	if code != 5 || strings.Contains(strings.ToLower(out), "estateagentfeeds") ||
		!strings.Contains(stderr, "syncd export: refused: the database is a backup taken at ") ||
		!strings.Contains(stderr, "the erasure log beside it records an erasure of this person at ") ||
		!strings.Contains(stderr, "start syncd (systemctl start syncd; by hand, syncd serve -config ") {
		t.Fatalf("export of a person erased after the backup, before the first start on its restore: exit %d\n%s%s\n"+
			"want exit 5, nothing of the person, and to start syncd first", code, out, stderr)
	}
	// The daemon here is started by hand: the start said, pasted in
	// another directory, starts it on its file (it said systemctl alone).
	m := regexp.MustCompile(`by hand, (syncd serve -config .+?)\), then export`).FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("export on the restore does not say how to start syncd by hand:\n%s", stderr)
	}
	if got, want := pasted(t, m[1]), []string{"syncd", "serve", "-config", config}; !slices.Equal(got, want) {
		t.Errorf("export's %s, pasted into sh, runs %q, want %q", m[1], got, want)
	}
	// By its lead's id, or a name, whose person is not known: any erasure
	// the restore holds undone refuses it.
	out, stderr, code = syncdRun(t, "export", "-config", config, "-event", "1")
	if code != 5 || strings.Contains(strings.ToLower(out), "estateagentfeeds") ||
		!strings.Contains(stderr, "records an erasure of someone whose data this export may hold at ") {
		t.Errorf("export -event of the erased person's lead on the restore: exit %d\n%s%s\nwant exit 5 and nothing of the person", code, out, stderr)
	}
	if out, stderr, code := syncdRun(t, "export", "-config", config, "-email", "angela7913@hotmail.com"); code != 0 ||
		!strings.Contains(out, "angela7913@hotmail.com") {
		t.Errorf("export of another person on the restore: exit %d\n%s%s", code, out, stderr)
	}

	d = start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	out, stderr, code = syncdRun(t, "export", "-config", config, "-email", "support@estateagentfeeds.com")
	if code != 0 || strings.Count(strings.ToLower(out), "estateagentfeeds") != 1 || !strings.Contains(out, `"subject": "support@estateagentfeeds.com"`) ||
		!strings.Contains(out, `"subject_hash"`) {
		t.Errorf("export once the first start erased the person again: exit %d\n%s%s\nwant exit 0, the erasure and nothing of the person",
			code, out, stderr)
	}
}
