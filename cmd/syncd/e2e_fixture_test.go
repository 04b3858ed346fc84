package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// The set-up most end-to-end tests share: a CRM stand-in over loopback
// HTTP, a configuration syncing to it, leads posted from testdata, and
// waiting for what the stand-in holds.

// startFakeCRM starts a CRM stand-in, closed when the test ends, and
// returns it with its base URL.
func startFakeCRM(t *testing.T, opts crmfake.Options) (*crmfake.Server, string) {
	t.Helper()
	fake := crmfake.New(opts)
	url := fake.Start()
	t.Cleanup(func() { fake.Close() })
	return fake, url
}

// writeCRMConfig writes crmConfig for the HubSpot stand-in at url (token
// fake-private-app-token, data under dir) into dir/syncd.yaml and returns
// the file's path.
func writeCRMConfig(t *testing.T, dir, url string) string {
	t.Helper()
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(crmConfig(dir, url, e2eLBToken)), 0o600); err != nil {
		t.Fatal(err)
	}
	return config
}

// writeCRMConfigOnPort is writeCRMConfig with the daemon on a free port
// of its own instead of any: status and the commands find the daemon by
// its listen address, which must stay the same across a test's restarts.
// With setUp it runs `syncd crm setup` on it, as the README says to for a
// fresh account. extra is added to the configuration (a store: section).
func writeCRMConfigOnPort(t *testing.T, dir, url string, setUp bool, extra ...string) string {
	t.Helper()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(crmConfig(dir, url, e2eLBToken), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1) +
		strings.Join(extra, "")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if !setUp {
		return config
	}
	if out, _, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s", code, out)
	}
	return config
}

// setCRMToken rewrites the configuration at config (as writeCRMConfig
// wrote it) with another HubSpot token: the operator's fix of a rejected one.
func setCRMToken(t *testing.T, config, dir, url, token string) {
	t.Helper()
	yaml := strings.Replace(crmConfig(dir, url, e2eLBToken), "fake-private-app-token", token, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
}

// postTestdata posts testdata/webhooks/<file> (e.g. "eaf/email_lead.json")
// to the daemon's hook for the sender that directory names, and fails the
// test unless it is answered 200.
func postTestdata(t *testing.T, d *daemon, file string) answer {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("../../testdata/webhooks", file))
	if err != nil {
		t.Fatal(err)
	}
	path := "/hooks/eaf/" + e2eEAFToken
	if strings.HasPrefix(file, "lokalebasen/") {
		path = "/hooks/lokalebasen/" + e2eLBToken
	}
	a, err := post(d.url+path, body)
	if err != nil || a.Code != 200 {
		t.Fatalf("post %s: %+v %v", file, a, err)
	}
	return a
}

// waitForRecords waits up to 10 s until the stand-in holds contacts
// contacts and deals deals, and fails the test with the daemon's log if it
// does not; after says what they should have followed.
func waitForRecords(t *testing.T, fake *crmfake.Server, d *daemon, contacts, deals int, after string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s := fake.State(); len(s.Contacts) != contacts || len(s.Deals) != deals; s = fake.State() {
		if time.Now().After(deadline) {
			t.Fatalf("10 s after %s: %d contacts, %d deals, want %d and %d\n%s",
				after, len(s.Contacts), len(s.Deals), contacts, deals, d.log())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// pausedOnToken is a daemon whose HubSpot token the stand-in rejects: the
// stand-in takes "the-right-token", the configuration has another, one lead
// was posted, and the adapter paused on the 401.
type pausedOnToken struct {
	fake        *crmfake.Server
	url         string // the stand-in's base URL
	dir, config string // the test's directory and the configuration file
	d           *daemon
}

// startPausedOnToken sets up a pausedOnToken, its daemon still running.
func startPausedOnToken(t *testing.T) *pausedOnToken {
	t.Helper()
	p := &pausedOnToken{dir: t.TempDir()}
	p.fake, p.url = startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "the-right-token"})
	p.config = writeCRMConfig(t, p.dir, p.url) // token: fake-private-app-token
	p.d = start(t, p.config)
	postTestdata(t, p.d, "eaf/email_lead.json")
	waitFor(t, "the adapter to pause on 401", func() bool { return strings.Contains(p.d.log(), "paused") })
	return p
}

// fixToken writes the token the stand-in takes into the configuration.
func (p *pausedOnToken) fixToken(t *testing.T) {
	t.Helper()
	setCRMToken(t, p.config, p.dir, p.url, "the-right-token")
}

// todaysReport writes the report of the day the leads came (leadsDay) by
// hand with `syncd report -out` to dir/name and returns it open, closed
// when the test ends.
func todaysReport(t *testing.T, config, dir, name string) *excelize.File {
	t.Helper()
	xlsx := filepath.Join(dir, name)
	today := leadsDay(t, config)
	if out, err := syncdCmd("report", "-config", config, "-date", today, "-out", xlsx).CombinedOutput(); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// leadsDay is the day, in the test configurations' report.time_zone
// (Europe/Copenhagen), that the newest event the database of config holds
// was received, today when it holds none: the day whose report shows the
// test's leads. Today taken after posting was the next day for a test
// whose leads came in the last seconds before midnight.
func leadsDay(t *testing.T, config string) string {
	t.Helper()
	cph := mustZone(t, "Europe/Copenhagen")
	evs := syncdJSON(t, "events", "list", "-config", config, "-json", "-limit", "1")
	if len(evs) == 0 {
		return time.Now().In(cph).Format(time.DateOnly)
	}
	at, err := time.Parse(time.RFC3339, fmt.Sprint(evs[0]["received_at"]))
	if err != nil {
		t.Fatalf("events list: received_at: %v", err)
	}
	return at.In(cph).Format(time.DateOnly)
}

// setUpPipedrive starts a strict Pipedrive stand-in, writes
// pipedriveConfig for it (data under dir) into dir/syncd.yaml and runs
// `syncd crm setup`, so the account has the fields the shipped mappings
// name. It returns the stand-in, its base URL and the configuration file.
func setUpPipedrive(t *testing.T, dir string) (*crmfake.Server, string, string) {
	t.Helper()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", StrictSchema: true})
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(pipedriveConfig(dir, url)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("setup: exit %d\n%s%s", code, out, stderr)
	}
	return fake, url, config
}

// setUpLaggingPipedrive is setUpPipedrive with the stand-in's search a
// minute behind its writes (a record made shows in search only then) and
// settle_time in the configuration: the set-up of the tests of a create
// whose answer or record was lost.
func setUpLaggingPipedrive(t *testing.T, dir string, settle time.Duration) (*crmfake.Server, string) {
	t.Helper()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token",
		StrictSchema: true, SearchLag: time.Minute})
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(pipedriveConfig(dir, url), "token: fake-pipedrive-token",
		"token: fake-pipedrive-token\n    settle_time: "+settle.String(), 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("setup: exit %d\n%s%s", code, out, stderr)
	}
	return fake, config
}
