package main_test

import (
	"strings"
	"syscall"
	"testing"
)

// TestMetricsSayAnErasureTheRestoreUndid: a restore that holds a person
// erased after its backup, whom syncd cannot erase again, made `syncd
// status` say ERASURE UNDONE and exit 5, but /metrics had no series of it:
// an operator who watches syncd with Prometheus alone was never told. Now
// syncd_restore_erasures_undone counts them, and is 0 again once the
// operator runs the erase again, as status is.
func TestMetricsSayAnErasureTheRestoreUndid(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, config, db, d := startWithTheLead(t, dir)
	waitForRecords(t, fake, d, 1, 1, "the lead")
	if got := metricLine(metricsText(t, d.url), "syncd_restore_erasures_undone"); got != "syncd_restore_erasures_undone 0" {
		t.Errorf("/metrics before any restore: %q, want syncd_restore_erasures_undone 0", got)
	}
	backup := backUp(t, config)
	syncdOK(t, "erase", "-config", config, "-phone", "+44 20 3870 4550") // the contact is keyed by email: not found again
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	restore(t, backup, db)
	d = start(t, config)
	if _, _, code := syncdRun(t, "status", "-config", config); code != 5 {
		t.Fatalf("status on the restore that holds an erased person again: exit %d, want 5", code)
	}
	if got := metricLine(metricsText(t, d.url), "syncd_restore_erasures_undone"); got != "syncd_restore_erasures_undone 1" {
		t.Errorf("/metrics on the restore that holds an erased person again: %q, want syncd_restore_erasures_undone 1", got)
	}
	syncdOK(t, "erase", "-config", config, "-phone", "+44 20 3870 4550")
	if got := metricLine(metricsText(t, d.url), "syncd_restore_erasures_undone"); got != "syncd_restore_erasures_undone 0" {
		t.Errorf("/metrics once the erasure was made again: %q, want syncd_restore_erasures_undone 0", got)
	}
	// The person's phone in the forms syncd keeps it, and the email's
	// domain: not a bare "3870", which a runtime gauge's float can hold
	// (a CI run failed on it with no phone in the body it printed).
	body := strings.ToLower(metricsText(t, d.url))
	for _, person := range []string{"2038704550", "3870 4550", "estateagentfeeds"} {
		if strings.Contains(body, person) {
			t.Errorf("/metrics names the person (%q):\n%s", person, body)
		}
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
