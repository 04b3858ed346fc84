package main_test

import (
	"context"
	"os/exec"
	"testing"
	"time"
)

// TestValidateAndServeRefuseANegativeSetting: sync.max_attempts: -1
// (written as retrying for ever), sync.lease: -1m and a whole number
// written with a fraction passed syncd validate, and serve started and
// used the defaults (10 attempts, 5m) or the number cut, no word said;
// report.mail.to written as one address was "cannot unmarshal !!str
// `manager...` into []string", naming no key. Now validate and serve both
// exit 2 naming the line and what to write; a 0 written is a warning that
// it takes the default.
func TestValidateAndServeRefuseANegativeSetting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := writeConfigWith(t, dir, "sync:\n  max_attempts: -1\n  lease: -1m\nintake:\n  max_batch: 1.5\n"+
		"report:\n  mail:\n    host: smtp.example.com\n    from: r@example.com\n    to: manager@example.com\n")
	want := []string{
		"syncd.yaml:13: sync.max_attempts -1 must be more than 0: write a number such as 10, the default",
		"syncd.yaml:14: sync.lease -1m must be more than 0: write a duration such as 5m, the default",
		"syncd.yaml:16: intake.max_batch 1.5 is not a whole number: write a whole one, as 2",
		"syncd.yaml:21: report.mail.to is a list: to: [ADDRESS]",
	}
	for _, args := range [][]string{{"validate", "-offline"}, {"serve"}} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a serve that starts serves on
		out, err := exec.CommandContext(ctx, syncdBin, append(args, "-config", file)...).CombinedOutput()
		cancel()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
			t.Errorf("syncd %v: %v, want exit 2:\n%s", args, err, out)
		}
		mustContain(t, "syncd "+args[0]+"'s output", string(out), want...)
	}

	zero := writeConfigWith(t, t.TempDir(), "http:\n  read_timeout: 0s\n")
	out, stderr, code := syncdRun(t, "validate", "-offline", "-config", zero)
	if code != 0 {
		t.Errorf("validate with read_timeout 0s: exit %d, want 0\n%s%s", code, out, stderr)
	}
	mustContain(t, "validate's warnings", stderr, "syncd.yaml:13: http.read_timeout 0s is taken as the default, 30s")
}
