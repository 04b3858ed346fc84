package main_test

import (
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// TestDataDirectoryCopiedWhileServedIsRefused: an operator moving syncd
// to another disk ran cp -a of its data directory while the daemon ran,
// and pointed a configuration at the copy. A daemon started on it served
// at once, beside the first (both would send the same leads to the CRM
// and mail each report) and, once the first was stopped, without the
// lead it had stored after the copy, whose event id the copy gave to the
// next lead. serve and validate now refuse the copy (exit 2 and 1), saying
// which database it is a copy of and the command that copies it again,
// which, run once the first is stopped, lets serve start with every lead.
func TestDataDirectoryCopiedWhileServedIsRefused(t *testing.T) {
	t.Parallel()
	old, moved := t.TempDir(), t.TempDir()
	first := start(t, writeConfig(t, old))
	postTestdata(t, first, "eaf/email_lead.json")
	postTestdata(t, first, "lokalebasen/enquiry_created.json")
	copyDir := filepath.Join(moved, "data")
	if out, err := exec.Command("cp", "-a", filepath.Join(old, "data"), copyDir).CombinedOutput(); err != nil {
		t.Fatalf("cp -a: %v: %s", err, out)
	}
	config := writeConfig(t, moved)
	cp, orig := filepath.Join(copyDir, "syncd.db"), filepath.Join(old, "data", "syncd.db")
	again := "rm -f " + sq(cp) + "* && cp -a " + sq(orig) + "* " + sq(copyDir) + "/"

	out := serveRefused(t, config)
	mustContain(t, "serve beside the daemon it was copied from", out, cp+" is a copy of "+orig,
		"serves that database now", inJSON(again)) // serve's log: JSON
	if _, stderr, code := syncdRun(t, "validate", "-offline", "-config", config); code != 2 {
		t.Errorf("validate: exit %d, want 2 (as serve: a person acts): %s", code, stderr)
	} else {
		mustContain(t, "validate", stderr, cp+" is a copy of "+orig, "serve refuses to start")
	}

	postTestdata(t, first, "eaf/portal_submission_success.json") // after the copy
	if err := first.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out = serveRefused(t, config)
	mustContain(t, "serve once the first stopped", out, "it holds events up to id 3, this copy up to 2", inJSON(again))

	cmd := again // as said, checked above
	if sh, err := exec.Command("sh", "-c", cmd).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", cmd, err, sh)
	}
	d := start(t, config)
	if a := postTestdata(t, d, "eaf/feed_import.json"); a.ID != "4" {
		t.Errorf("the first lead on the copy, copied again: event id %s, want 4", a.ID)
	}
	d.stop(t, syscall.SIGTERM)
}
