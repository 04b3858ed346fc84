package webhook_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestDeliveryOutsideHooksIsLoggedAndCounted: a sender given a URL whose
// hooks segment is not at the root in lower case (/HOOKS/eaf/TOKEN, a
// proxy's prefix left on it, /hook/ or /webhooks/ for /hooks/) had every
// delivery answered net/http's plain-text 404, with no log line and no
// count: the sender retried and gave up, its leads lost, and the operator
// saw nothing in the journal, the metrics or `syncd status`. Such a POST is
// now answered the JSON 404 of a wrong URL, counted as bad_path, and
// warned of with the path's shape (no token, no client text) and the URL
// to give. A POST to any other path (a scanner's /wp-login.php) stays a
// plain 404, neither logged nor counted, and a GET of a wrong hook URL too.
func TestDeliveryOutsideHooksIsLoggedAndCounted(t *testing.T) {
	t.Parallel()
	obs := &rejections{n: map[string]int{}}
	r := newRig(t, func(o *webhook.Options) { o.Observer = obs; o.LogEvery = time.Nanosecond })
	body := `{"eaf_type":"email_lead","eaf_id":"1","contact_email":"mail@example.com"}`
	cases := []struct{ path, logged, reason, meant string }{
		{"/HOOKS/eaf/" + eafToken, "/HOOKS/eaf/[redacted]", "bad_path", "eaf"},
		{"/Hooks/eaf/" + eafToken, "/Hooks/eaf/[redacted]", "bad_path", "eaf"},
		{"/syncd/hooks/eaf/" + eafToken, "/[redacted]/hooks/eaf/[redacted]", "bad_path", "eaf"},
		{"/hook/eaf/" + eafToken, "/hook/eaf/[redacted]", "bad_path", "eaf"},
		{"/webhooks/lokalebasen/" + lbToken, "/webhooks/lokalebasen/[redacted]", "bad_path", "lokalebasen"},
		{"/eaf/" + eafToken, "/eaf/[redacted]", "bad_path", "eaf"},
		{"/api/HOOKS/nosuch/" + eafToken, "/[redacted]/HOOKS/[redacted]/[redacted]", "bad_path", ""},
		// A path http.ServeMux would redirect (307), which senders do not follow.
		{"/syncd//hooks/eaf/" + eafToken, "/[redacted]/hooks/eaf/[redacted]", "unclean_path", "eaf"},
	}
	for _, c := range cases {
		resp, err := http.Post(r.url+c.path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var a map[string]string
		if resp.StatusCode != 404 || json.Unmarshal(raw, &a) != nil || a["status"] != "rejected" {
			t.Errorf("%s: %d %q, want 404 and the JSON of a rejection", c.path, resp.StatusCode, raw)
		}
		line := logLine(r.log.String(), `"path":"`+c.logged+`"`)
		switch {
		case line == "":
			t.Errorf("%s: no warning with the path %s:\n%s", c.path, c.logged, r.log.String())
		case !strings.Contains(line, `"status":404,"reason":"`+c.reason+`"`) || !strings.Contains(line, "/hooks/SOURCE/TOKEN"):
			t.Errorf("%s: the warning does not say what is wrong and the URL to give:\n%s", c.path, line)
		case c.meant != "" && !strings.Contains(line, `"did you mean":"`+c.meant+`"`):
			t.Errorf("%s: the warning does not name the source meant, %s:\n%s", c.path, c.meant, line)
		}
	}
	if n := obs.n["unknown bad_path"] + obs.n["unknown unclean_path"]; n != len(cases) || obs.n["unknown unclean_path"] != 1 {
		t.Errorf("counted %v, want %d under unknown bad_path or unclean_path", obs.n, len(cases))
	}

	// Not deliveries to a hook: as before.
	before := r.log.String()
	for _, c := range []struct{ method, path string }{{"POST", "/wp-login.php"}, {"POST", "/"}, {"GET", "/HOOKS/eaf/" + eafToken}, {"POST", "/x//y"},
		{"POST", "/hoo\u212As/x/" + eafToken}} { // hooks with a Kelvin sign: client text that is not ASCII
		req, _ := http.NewRequest(c.method, r.url+c.path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("%s %s: %d, want 404", c.method, c.path, resp.StatusCode)
		}
	}
	if after := r.log.String(); after != before || obs.n["unknown bad_path"] != len(cases)-1 {
		t.Errorf("a request that is no delivery to a hook was logged or counted: %v\n%s", obs.n, after[len(before):])
	}
	for _, secret := range []string{eafToken, lbToken, "syncd/", "nosuch", "api", "mail@example.com"} {
		if strings.Contains(r.log.String(), secret) {
			t.Errorf("the log holds the client's %q:\n%s", secret, r.log.String())
		}
	}
}

// logLine is the last line of log holding s, or "".
func logLine(log, s string) string {
	found := ""
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, s) {
			found = l
		}
	}
	return found
}

// TestWrongURLOfManySegmentsIsLoggedShort: the warning of a wrong hook URL
// gives the path's shape, a segment's worth of text for each segment: a
// path of thousands of short segments (within the 16 KiB of headers) made a
// warning of 80 KB, again every interval. Past the first segments the shape
// now counts the rest.
func TestWrongURLOfManySegmentsIsLoggedShort(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(o *webhook.Options) { o.LogEvery = time.Nanosecond })
	many := strings.Repeat("/a", 5000)
	for _, p := range []string{"/hooks/eaf/" + eafToken + many, many + "/hooks/eaf/" + eafToken, "/hooks" + many} {
		before := len(r.log.String())
		resp, err := http.Post(r.url+p, "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		line := r.log.String()[before:]
		if resp.StatusCode != 404 || !strings.Contains(line, `"reason":"bad_path"`) {
			t.Fatalf("%.40s…: %d, logged %.300s", p, resp.StatusCode, line)
		}
		if len(line) > 2000 || !strings.Contains(line, "segments more") {
			t.Errorf("%.40s…: a warning of %d bytes, the rest not counted: %.300s…", p, len(line), line)
		}
	}
}

// TestOddMethodIsNotLogged: a request with a method of the client's
// invention is refused 405 and warned of; the warning gave the method as
// sent, client text of up to the 16 KiB of headers, again every interval.
// One that is not an HTTP method is now logged "(other)".
func TestOddMethodIsNotLogged(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(o *webhook.Options) { o.LogEvery = time.Nanosecond })
	for _, m := range []string{strings.Repeat("X", 10000), "PROPFIND"} {
		req, _ := http.NewRequest(m, r.url+"/hooks/eaf/"+eafToken, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 405 {
			t.Errorf("%.10s: %d, want 405", m, resp.StatusCode)
		}
	}
	if log := r.log.String(); strings.Contains(log, "XXXX") || strings.Contains(log, "PROPFIND") || strings.Count(log, `"method":"(other)"`) != 2 {
		t.Errorf("the methods are not logged (other):\n%.500s", log)
	}
	get, _ := http.NewRequest("GET", r.url+"/hooks/eaf/"+eafToken, nil)
	resp, err := http.DefaultClient.Do(get)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(r.log.String(), `"method":"GET"`) {
		t.Errorf("GET not logged as such:\n%s", r.log.String())
	}
}
