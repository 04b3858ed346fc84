package main_test

import (
	"strings"
	"testing"
	"time"
)

// TestSenderGivenAWrongURLIsSeenInStatus: the real daemon, given deliveries
// at URLs a sender may have been given wrong (the hooks segment in capitals,
// a proxy's prefix left on, a token not configured), answers each 404 or
// 401, warns of each with the path's shape and the source meant, and
// `syncd status` says, under its events line, that they are refused at
// every retry, by kind. Before, the first two were net/http's plain 404,
// neither logged nor counted, and status said only "1 rejected".
func TestSenderGivenAWrongURLIsSeenInStatus(t *testing.T) {
	t.Parallel()
	config := writeConfig(t, t.TempDir())
	d := start(t, config)
	lead := []byte(`{"eaf_type":"email_lead","eaf_id":"w1","contact_email":"lead@example.com"}`)
	for path, code := range map[string]int{
		"/HOOKS/eaf/" + e2eEAFToken:         404,
		"/syncd/hooks/eaf/" + e2eEAFToken:   404,
		"/hooks/eaf/wrong-token-0123456789": 401,
	} {
		a, err := post(d.url+path, lead)
		if err != nil {
			t.Fatal(err)
		}
		if a.Code != code || a.Status != "rejected" {
			t.Errorf("%s: %d %q, want %d rejected", path, a.Code, a.Status, code)
		}
	}
	for _, want := range []string{`"path":"/HOOKS/eaf/[redacted]"`, `"path":"/[redacted]/hooks/eaf/[redacted]"`} {
		// Both refusals share one key of the receiver's rate-limited log:
		// the second is written as its 10 s interval ends (a 10 s wait
		// raced it on a loaded machine).
		for deadline := time.Now().Add(30 * time.Second); !strings.Contains(d.log(), want); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) { // the log is read from the daemon's stdout as it comes
				t.Fatalf("no warning with %s:\n%s", want, d.log())
			}
		}
	}
	out, _, _ := syncdRun(t, "status", "-config", config)
	for _, want := range []string{"3 rejected",
		"of those rejected, refused at every retry until corrected (the sender then gives up, its lead lost): " +
			"2 to a wrong URL (404), 1 with a wrong token or password (401)"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{e2eEAFToken, "lead@example.com", "syncd/hooks"} {
		if strings.Contains(d.log(), secret) {
			t.Errorf("%q reached the log", secret)
		}
	}
}

// TestMisroutedSenderIsSeenInStatus: the real daemon given a Lokalebasen
// enquiry at the Estate Agent Feeds URL stores it as unrecognised, never
// mapped, and answers 200; `syncd status` said "1 accepted" and nothing
// more. It now says that one of those accepted is UNRECOGNISED, never sent
// to the CRM, and where to find it.
func TestMisroutedSenderIsSeenInStatus(t *testing.T) {
	t.Parallel()
	config := writeConfig(t, t.TempDir())
	d := start(t, config)
	a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"event_type":"enquiry_created","payload":{"client":{"email":"lb@example.com"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if a.Code != 200 || a.Status != "accepted" {
		t.Fatalf("a Lokalebasen body at the EAF URL: %d %q, want 200 accepted", a.Code, a.Status)
	}
	out, _, _ := syncdRun(t, "status", "-config", config)
	mustContain(t, "status", out, "1 received since start: 1 accepted",
		"of those accepted, 1 UNRECOGNISED: stored, but never mapped nor sent to the CRM")
}
