package main_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryLastingRefusalSaysItsFix: docs/troubleshooting.md, docs/intake.md
// and status's own line say the log's "delivery rejected" lines name the
// source and the fix of the refusals a sender's retries cannot end. They
// did for a body too large and a path outside /hooks, but a wrong token, a
// wrong Basic auth, an address outside allow_ips, a source name misspelt
// and a path under /hooks of another shape (a trailing slash) were logged
// with their reason alone: the operator, on the first day, learnt neither
// what was wrong in the sender's URL nor what to do. So were a delivery by
// another method than POST (a redirect before syncd makes a POST a GET)
// and one without a body.
func TestEveryLastingRefusalSaysItsFix(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	maps, _ := filepath.Abs("../../mappings/hubspot")
	config := filepath.Join(dir, "syncd.yaml")
	yaml := fmt.Sprintf(`listen: 127.0.0.1:0
data_dir: %s
sources:
  lokalebasen:
    kind: lokalebasen
    tokens: [%s]
  eaf:
    kind: eaf
    tokens: [%s]
  walled:
    kind: lokalebasen
    tokens: [walled-token-0123456789]
    allow_ips: [192.0.2.0/24]
  locked:
    kind: eaf
    tokens: [locked-token-0123456789]
    basic_auth: {username: portal, password: s3cret-pass-word}
mapping:
  dir: %s
`, filepath.Join(dir, "data"), e2eLBToken, e2eEAFToken, maps)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	body := []byte(`{"eaf_type":"email_lead","eaf_id":"fix-1"}`)
	for path, want := range map[string]int{
		"/hooks/eaf/not-the-token":              http.StatusUnauthorized,
		"/hooks/locked/locked-token-0123456789": http.StatusUnauthorized,
		"/hooks/walled/walled-token-0123456789": http.StatusForbidden,
		"/hooks/lokalbasen/" + e2eLBToken:       http.StatusNotFound,
		"/hooks/eaf/" + e2eEAFToken + "/":       http.StatusNotFound,
	} {
		a, err := post(d.url+path, body)
		if err != nil || a.Code != want {
			t.Fatalf("POST %s: %+v, %v; want %d", path, a, err, want)
		}
	}
	// A delivery by another method, or with no body: not always a sender's
	// fault, but logged with no word of what to look at either.
	req, _ := http.NewRequest(http.MethodPut, d.url+"/hooks/eaf/"+e2eEAFToken, strings.NewReader(string(body)))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("PUT: %v, %v; want 405", resp, err)
	} else {
		resp.Body.Close()
	}
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, nil); err != nil || a.Code != http.StatusBadRequest {
		t.Fatalf("empty POST: %+v, %v; want 400", a, err)
	}
	fixes := map[string]string{}
	waitFor(t, "seven delivery rejected lines", func() bool {
		for _, l := range strings.Split(d.log(), "\n") {
			var line map[string]any
			if json.Unmarshal([]byte(l), &line) != nil || line["message"] != "delivery rejected" {
				continue
			}
			fix, _ := line["fix"].(string)
			fixes[fmt.Sprint(line["reason"], " ", line["path"])] = fix
		}
		return len(fixes) == 7
	})
	for key, words := range map[string][]string{
		"bad_token /hooks/eaf/[redacted]":          {"none of source eaf's tokens", "sources.eaf.tokens", "/hooks/eaf/TOKEN", "lost"},
		"bad_basic_auth /hooks/locked/[redacted]":  {"token is right", "sources.locked.basic_auth", "user and password", "lost"},
		"ip_not_allowed /hooks/walled/[redacted]":  {"not in sources.walled.allow_ips", "add it", "http.trusted_proxies", "lost"},
		"unknown_source /hooks/unknown/[redacted]": {"no source of that name", "eaf, locked, lokalebasen, walled", "/hooks/SOURCE/TOKEN", "lost"},
		"bad_path /hooks/eaf/[redacted]/":          {"/hooks/SOURCE/TOKEN", "trailing slash", "lost"},
		"method /hooks/eaf/[redacted]":             {"POST only", "redirect", "http:// to https://", "webhook method to POST"},
		"empty_body /hooks/eaf/[redacted]":         {"no body", "test", "proxy", "lost"},
	} {
		fix, ok := fixes[key]
		if !ok {
			t.Fatalf("no %q line; lines: %v\n%s", key, fixes, d.log())
		}
		mustContain(t, key+" fix", fix, words...)
		for _, secret := range []string{"not-the-token", "locked-token", "walled-token", e2eLBToken, e2eEAFToken, "s3cret"} {
			if strings.Contains(fix, secret) {
				t.Errorf("%s: its fix shows a token or password: %s", key, fix)
			}
		}
	}
	out, _, _ := syncdRun(t, "status", "-config", config)
	mustContain(t, "status", out, "2 to a wrong URL (404), 2 with a wrong token or password (401), 1 from an address not in allow_ips (403)",
		`"delivery rejected" lines name the source and the fix`)
}
