package main_test

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestScheduleOfAZoneAloneIsRefusedNotACrash: an operator who wrote the
// time zone into a schedule and nothing after it (`schedule:
// "CRON_TZ=Europe/Copenhagen"`) crashed syncd validate with a panic of the
// cron library, and a reload of that file (systemctl reload syncd) stopped
// the running daemon: no leads were received until someone started it
// again. validate names the line and what to write, and the daemon
// rejects the reload and goes on serving.
func TestScheduleOfAZoneAloneIsRefusedNotACrash(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)

	writeConfigWith(t, dir, "sync:\n  schedule: \"CRON_TZ=Europe/Copenhagen\"\nreport:\n  schedule: \"TZ=UTC\"\n")
	d.cmd.Process.Signal(syscall.SIGHUP)
	for deadline := time.Now().Add(time.Minute); !strings.Contains(d.log(), "reload rejected"); time.Sleep(100 * time.Millisecond) {
		select {
		case err := <-d.done:
			t.Fatalf("the daemon stopped on the reload: %v\n%s", err, d.log())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for the reload to be rejected:\n%s", d.log())
		}
	}
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(`{"event_type":"ping"}`)); err != nil || a.Code != 200 {
		t.Fatalf("after the rejected reload: %d, %v", a.Code, err)
	}

	out, stderr, code := syncdRun(t, "validate", "-config", config)
	for _, want := range []string{
		`sync.schedule "CRON_TZ=Europe/Copenhagen" names a time zone and no time: write the schedule after it, as "CRON_TZ=Europe/Copenhagen 0 6 * * *"`,
		`report.schedule "TZ=UTC" names a time zone and no time: write the schedule after it, as "TZ=UTC 0 6 * * *"`,
	} {
		if code != 2 || !strings.Contains(out+stderr, want) || strings.Contains(out+stderr, "panic") {
			t.Fatalf("validate of a schedule of a zone alone: exit %d\n%s%s\nwant exit 2 and %q", code, out, stderr, want)
		}
	}
}
