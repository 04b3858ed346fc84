package webhook_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/webhook"
)

// rejections counts what the receiver tells its Observer of refused and
// quarantined requests.
type rejections struct {
	mu sync.Mutex
	n  map[string]int // "source reason"
}

func (o *rejections) ObserveIntake(string, string, time.Duration) {}
func (o *rejections) Quarantined(source, reason string, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.n[source+" quarantined "+reason]++
}
func (o *rejections) Rejected(source, reason string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.n[source+" "+reason]++
}

// TestWrongHookURLIsLoggedAndCounted: a sender configured with a URL that is
// not /hooks/{source}/{token} (a trailing slash pasted with it, the token
// left out, a segment more, a slash doubled) gets the JSON 404 of an unknown
// source, and the operator a warning with the path's shape (no token) and a
// count in the metrics; it used to be net/http's plain-text 404, or a 307
// redirect the senders do not follow, that left no trace.
func TestWrongHookURLIsLoggedAndCounted(t *testing.T) {
	t.Parallel()
	obs := &rejections{n: map[string]int{}}
	r := newRig(t, func(o *webhook.Options) { o.Observer = obs; o.LogEvery = time.Nanosecond })
	cases := []struct{ path, logged, label, reason string }{
		{"/hooks/eaf/" + eafToken + "/", "/hooks/eaf/[redacted]/", "eaf", "bad_path"},
		{"/hooks/eaf/" + eafToken + "/x", "/hooks/eaf/[redacted]/[redacted]", "eaf", "bad_path"},
		{"/hooks/eaf/", "/hooks/eaf/", "eaf", "bad_path"},
		{"/hooks/eaf", "/hooks/eaf", "eaf", "bad_path"},
		{"/hooks/", "/hooks/", "unknown", "bad_path"},
		{"/hooks", "/hooks", "unknown", "bad_path"},
		{"/hooks/nosuch/" + eafToken + "/", "/hooks/unknown/[redacted]/", "unknown", "bad_path"},
		// A path http.ServeMux would redirect (307): the senders do not follow.
		{"//hooks/eaf/" + eafToken, "/hooks/eaf/[redacted]", "eaf", "unclean_path"},
		{"/hooks/eaf/./" + eafToken, "/hooks/eaf/[redacted]", "eaf", "unclean_path"},
		{"/hooks/lokalebasen/../eaf/" + eafToken, "/hooks/eaf/[redacted]", "eaf", "unclean_path"},
	}
	for _, c := range cases {
		resp, err := http.Post(r.url+c.path, "application/json", strings.NewReader(`{"eaf_type":"feed_import","eaf_id":"1"}`))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var a map[string]string
		if resp.StatusCode != 404 || json.Unmarshal(raw, &a) != nil || a["status"] != "rejected" {
			t.Errorf("%s: %d %q, want 404 and the JSON of a rejection", c.path, resp.StatusCode, raw)
		}
		if !strings.Contains(r.log.String(), `"path":"`+c.logged+`","status":404,"reason":"`+c.reason+`"`) {
			t.Errorf("%s: not logged as %s:\n%s", c.path, c.logged, r.log.String())
		}
	}
	if got := obs.n["eaf bad_path"] + obs.n["unknown bad_path"] + obs.n["eaf unclean_path"]; got != len(cases) || obs.n["eaf bad_path"] != 4 {
		t.Errorf("counted %v, want %d", obs.n, len(cases))
	}
	if strings.Contains(r.log.String(), eafToken) || strings.Contains(r.log.String(), "nosuch") {
		t.Fatalf("the log holds the client's path:\n%s", r.log.String())
	}
}

// TestSourceInAnotherCaseIsHinted: a hook URL naming a configured source
// in another case (/hooks/EAF/TOKEN) is still counted under the label
// "unknown" (the client's text never becomes a label), but its warning
// names the source meant; it used to say only "unknown".
func TestSourceInAnotherCaseIsHinted(t *testing.T) {
	t.Parallel()
	obs := &rejections{n: map[string]int{}}
	r := newRig(t, func(o *webhook.Options) { o.Observer = obs; o.LogEvery = time.Nanosecond })
	for _, p := range []string{"/hooks/EAF/" + eafToken, "/hooks/Eaf/" + eafToken + "/", "//hooks/eAf/" + eafToken} {
		resp, err := http.Post(r.url+p, "application/json", strings.NewReader(`{"eaf_type":"feed_import","eaf_id":"1"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}
	if n := strings.Count(r.log.String(), `"did you mean":"eaf"`); n != 3 {
		t.Errorf("%d of 3 warnings name the source meant:\n%s", n, r.log.String())
	}
	if obs.n["unknown unknown_source"] != 1 || obs.n["unknown bad_path"] != 1 || obs.n["unknown unclean_path"] != 1 {
		t.Errorf("counted %v, want each under the label unknown", obs.n)
	}
	resp, err := http.Post(r.url+"/hooks/nosuch/"+eafToken, "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if strings.Count(r.log.String(), "did you mean") != 3 || strings.Contains(r.log.String(), "EAF") {
		t.Errorf("a hint for a source no configured one matches, or the client's text logged:\n%s", r.log.String())
	}
}

// TestRejectedSeriesNamesEveryReasonGiven: every source label and reason the
// receiver refuses deliveries with is one RejectedSeries lists, which the
// daemon creates at 0 at start for alerts to see the first one.
func TestRejectedSeriesNamesEveryReasonGiven(t *testing.T) {
	t.Parallel()
	obs := &rejections{n: map[string]int{}}
	r := newRig(t, func(o *webhook.Options) { o.Observer = obs })
	send := func(method, path, body string) {
		req, _ := http.NewRequest(method, r.url+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	send("GET", "/hooks/eaf/"+eafToken, "")
	send("GET", "/hooks/nosuch/"+eafToken, "")
	send("POST", "/hooks/nosuch/"+eafToken, "{}")
	send("POST", "/hooks/eaf/wrong-token", "{}")
	send("POST", "/hooks/eaf/"+eafToken, strings.Repeat("x", 5000))
	send("POST", "/hooks/eaf/"+eafToken, "")
	send("POST", "/hooks/eaf/"+eafToken+"/", "{}")
	send("POST", "/hooks/", "{}")
	send("POST", "//hooks/eaf/"+eafToken, "{}")
	send("POST", "//hooks/nosuch/"+eafToken, "{}")
	os.Remove(r.db.Path()) // every commit fails from now on
	send("POST", "/hooks/eaf/"+eafToken, `{"eaf_type":"x"}`)

	listed := map[string]bool{}
	for source, reasons := range webhook.RejectedSeries([]string{"eaf", "lokalebasen"}) {
		for _, reason := range reasons {
			listed[source+" "+reason] = true
		}
	}
	if len(obs.n) < 10 {
		t.Fatalf("only %d kinds of rejection seen: %v", len(obs.n), obs.n)
	}
	for seen := range obs.n {
		if !listed[seen] {
			t.Errorf("refused as %q, which RejectedSeries does not list", seen)
		}
	}
}
