package main_test

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestDaemonLogFollowsAResumeByTheOperator: on SQLite, a token rejected
// once pauses the daemon's adapter; the operator runs `syncd sync -resume`
// (another process), which sends the waiting lead. The daemon's log then
// says that the pause was lifted, and its `sync run` line no longer gives
// the old pause's paused_until. (Before, the daemon said nothing of the
// resume, and its summed line, at the minute or at stop, still carried
// the lifted pause's end as if the adapter were paused until then.)
func TestDaemonLogFollowsAResumeByTheOperator(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/**", Action: crmfake.ActError, Status: 401, Uses: 1})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the adapter to pause on 401", func() bool { return strings.Contains(d.log(), "crm adapter paused") })

	out, _, code := syncdRun(t, "sync", "-resume", "-config", config)
	if code != 0 || !strings.Contains(out, "2 done") {
		t.Fatalf("sync -resume: exit %d\n%s", code, out)
	}
	waitFor(t, "the daemon to log the lifted pause", func() bool {
		return strings.Contains(d.log(), "adapter pause lifted by another process")
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("stop: %v\n%s", err, d.log())
	}
	last := lastInfoLine(t, d.log(), "sync run")
	if last == nil {
		t.Fatalf("no sync run line at info:\n%s", d.log())
	}
	if _, paused := last["paused_until"]; paused {
		t.Errorf("last sync run line %v still gives paused_until after the operator's resume", last)
	}
}

// lastInfoLine returns the last info line of log with the given message,
// decoded, or nil.
func lastInfoLine(t *testing.T, log, message string) map[string]any {
	t.Helper()
	var last map[string]any
	for _, line := range strings.Split(log, "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["level"] == "info" && m["message"] == message {
			last = m
		}
	}
	return last
}
