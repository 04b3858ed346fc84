package main_test

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPrometheusAndSystemdSeeQuarantinedBodiesWait: syncd status said that
// a quarantined body waits for a person (exit 5), but /metrics had no
// series of it and the systemd status line said "serving on ADDR": an
// operator watching syncd with Prometheus or systemctl status alone never
// learnt that a lead sat in the quarantine. The gauge
// syncd_quarantine_waiting_bodies{source} counts them, and the status
// line says so, until the body is dismissed or repaired.
func TestPrometheusAndSystemdSeeQuarantinedBodiesWait(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	n, sock := listenNotify(t)
	config := writeConfig(t, t.TempDir())
	d := start(t, config, "NOTIFY_SOCKET="+sock)
	defer d.stop(t, syscall.SIGTERM)
	serving := "STATUS=serving on " + strings.TrimPrefix(d.url, "http://")
	n.await(t, serving)
	series := func(source, value string) string {
		return `syncd_quarantine_waiting_bodies{source="` + source + `"} ` + value + "\n"
	}
	mustContain(t, "/metrics before any delivery", metricsText(t, d.url), series("eaf", "0"), series("lokalebasen", "0"))

	id := mustQuarantine(t, d.url+"/hooks/eaf/"+e2eEAFToken, "GET / HTTP/1.1\r\nHost: scanner\r\n\r\n")
	n.awaitMatch(t, "the body waiting on the status line", func(m string) bool {
		return strings.HasPrefix(m, "STATUS=ATTENTION: 1 quarantined body WAITS for a person: syncd status -config "+sq(config)+" (serving on ")
	}, time.Minute)
	waitFor(t, "the gauge at 1", func() bool { return strings.Contains(metricsText(t, d.url), series("eaf", "1")) })
	mustContain(t, "/metrics", metricsText(t, d.url), series("lokalebasen", "0"))

	// Dismissed by another process: the daemon counts again by itself.
	if out, errOut, code := syncdRun(t, "events", "dismiss", "-config", config, id); code != 0 {
		t.Fatalf("events dismiss %s: exit %d\n%s%s", id, code, out, errOut)
	}
	n.awaitMatch(t, serving+" once dismissed", func(m string) bool { return m == serving }, time.Minute)
	mustContain(t, "/metrics once dismissed", metricsText(t, d.url), series("eaf", "0"))
}
