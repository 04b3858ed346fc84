package main_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestMappingsThatDoNotLoadAtStartHoldTheLeadsNotTheDeliveries: an
// operator edited a mapping under the running daemon and moved a key out
// of its block, and did not reload. At the next start (a reboot, systemd
// restarting the daemon after a failure, a restart the operator tried),
// serve refused the files and exited 1: no delivery was taken until
// someone fixed them, and Estate Agent Feeds, which retries twice 30
// minutes apart, lost its leads of that hour. The daemon now starts
// holding its mapping: it stores and answers every delivery, maps none and
// syncs nothing, and says so in its log, syncd status (exit 5), /metrics
// and the status line before it; the files fixed and reloaded, the leads
// that waited are mapped and sent.
func TestMappingsThatDoNotLoadAtStartHoldTheLeadsNotTheDeliveries(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, maps := editedMappingsListening(t, dir)
	d := start(t, config)
	lb := filepath.Join(maps, "lokalebasen.yaml")
	good, _ := os.ReadFile(lb)
	moved := strings.Replace(string(good), "      company: payload.client.company", "    company: payload.client.company", 1)
	if moved == string(good) {
		t.Fatal("the shipped lokalebasen.yaml has no company: line to move")
	}
	os.WriteFile(lb, []byte(moved), 0o644)

	out, stderr, code := syncdRun(t, "status", "-config", config)
	if code != 5 {
		t.Fatalf("status of a mapping that does not load: exit %d, want 5\n%s%s", code, out, stderr)
	}
	mustContain(t, "status of a mapping that does not load", out,
		"would NOT LOAD as they are (maps/lokalebasen.yaml:",
		"a reload would be rejected, and a restart would hold the mapping (so would the next boot, or systemd restarting it "+
			"after a failure): leads would be stored but none mapped or sent to the CRM until they load; fix them, then syncd reload -config "+sq(config))

	// What status says of a restart is what serve does.
	d.stop(t, syscall.SIGTERM)
	d = start(t, config)
	mustContain(t, "the log of a start on mappings that do not load", d.log(),
		`"level":"error"`, "maps/lokalebasen.yaml:", "start: "+heldLog)
	body, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, body); err != nil || a.Code != 200 || a.Status != "accepted" {
		t.Fatalf("a delivery while the mapping is held: %+v %v; want 200 accepted", a, err)
	}
	out, stderr, code = syncdRun(t, "status", "-config", config)
	if code != 5 {
		t.Fatalf("status of a daemon holding its mapping: exit %d, want 5\n%s%s", code, out, stderr)
	}
	mustContain(t, "status of a daemon holding its mapping", out,
		"HELD since ", "the mapping files did not load as the daemon started, so it stores and answers every delivery "+
			"but maps none and sends nothing to the CRM (1 lead waits to be mapped); the files on disk still do NOT LOAD: maps/lokalebasen.yaml:",
		"fix them, then syncd reload -config "+sq(config)+": the leads waiting are mapped then",
		"dryrun: not syncing while the mapping is held (below)")
	if strings.Contains(out, "LAST RELOAD FAILED") || strings.Contains(out, "CHANGED on disk") {
		t.Errorf("status of a daemon holding its mapping speaks of previous mappings or of a change:\n%s", out)
	}
	if v := heldGauge(t, d.url); v <= 0 {
		t.Errorf("syncd_mapping_held_since_timestamp_seconds = %v, want the time the hold began", v)
	}
	events := syncdJSON(t, "events", "list", "-json", "-config", config)
	if len(events) != 1 || events[0]["map_state"] != "pending" {
		t.Fatalf("the lead while the mapping is held: %v; want one event, pending", events)
	}

	// Fixed and reloaded: the lead that waited is mapped and sent.
	os.WriteFile(lb, good, 0o644)
	out, _, _ = syncdRun(t, "status", "-config", config)
	mustContain(t, "status once the files are fixed", out, "the files on disk load now: syncd reload -config "+sq(config)+": the leads waiting are mapped then")
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitUntil(t, "the held lead mapped and sent once reloaded", func() bool {
		ops := syncdJSON(t, "outbox", "list", "-json", "-config", config)
		done := 0
		for _, op := range ops {
			if op["state"] == "done" {
				done++
			}
		}
		return done == 2
	})
	if v := heldGauge(t, d.url); v != 0 {
		t.Errorf("syncd_mapping_held_since_timestamp_seconds = %v once the mappings load, want 0", v)
	}
	out, stderr, code = syncdRun(t, "status", "-config", config)
	if code != 0 || strings.Contains(out, "HELD") {
		t.Errorf("status once reloaded: exit %d\n%s%s", code, out, stderr)
	}
}

// heldLog is the daemon's line of a start on mappings that do not load.
const heldLog = "the mapping files do not load: deliveries are stored and answered, none is mapped or sent to the CRM until they load"

// heldGauge is the value of syncd_mapping_held_since_timestamp_seconds
// on the daemon's /metrics at url.
func heldGauge(t *testing.T, url string) float64 {
	t.Helper()
	const name = "syncd_mapping_held_since_timestamp_seconds"
	line := metricLine(metricsText(t, url), name)
	v, err := strconv.ParseFloat(strings.TrimPrefix(line, name+" "), 64)
	if err != nil {
		t.Fatalf("/metrics: %q: %v", line, err)
	}
	return v
}
