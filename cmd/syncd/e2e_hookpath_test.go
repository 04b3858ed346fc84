package main_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestWrongHookURLIsSeen: the daemon, /metrics on its main listener, answers
// a delivery to a wrong URL (a slash doubled, a trailing slash) with a JSON
// 404, logs a warning and counts it. The slash doubled used to get a 307
// redirect, which a sender that does not follow it (Estate Agent Feeds
// counts 200, 301 and 302 as success) retried twice and gave up on, and the
// operator saw nothing.
func TestWrongHookURLIsSeen(t *testing.T) {
	t.Parallel()
	d := start(t, writeConfig(t, t.TempDir()))
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, reason := range map[string]string{
		"//hooks/eaf/" + e2eEAFToken:      "unclean_path",
		"/hooks/eaf/" + e2eEAFToken + "/": "bad_path",
	} {
		resp, err := noFollow.Post(d.url+path, "application/json", strings.NewReader(`{"eaf_type":"feed_import","eaf_id":"1"}`))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 404 || !strings.Contains(string(body), `"status":"rejected"`) {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(d.log(), `"reason":"`+reason+`"`); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) { // the log is read from the daemon's stdout as it comes
				t.Fatalf("%s: no %s warning in the log:\n%s", path, reason, d.log())
			}
		}
	}
	resp, err := http.Get(d.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`syncd_events_rejected_total{reason="unclean_path",source="eaf"} 1`, `syncd_events_rejected_total{reason="bad_path",source="eaf"} 1`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(d.log(), e2eEAFToken) {
		t.Error("the token reached the log")
	}
}
