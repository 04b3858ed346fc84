package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestSystemdStatusSaysTheCRMIsFailing: with the CRM answering 503 to
// every call, the line `systemctl status syncd` shows (STATUS=) said
// "serving on ADDR", as when all is well, though it names a paused
// adapter. It says since when every CRM call fails, and "serving on ADDR"
// alone once the CRM answers again.
func TestSystemdStatusSaysTheCRMIsFailing(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfig(t, t.TempDir(), url)
	n, sock := listenNotify(t)
	d := start(t, config, "NOTIFY_SOCKET="+sock)
	defer d.stop(t, syscall.SIGTERM)
	serving := "STATUS=serving on " + strings.TrimPrefix(d.url, "http://")
	n.await(t, serving)
	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	postTestdata(t, d, "eaf/email_lead.json")
	n.await(t, serving+"; CRM hubspot: every call failing since ")

	fake.ClearFaults()
	timeout := time.After(2 * time.Minute) // the syncer tries again after its cool-down
	for {
		select {
		case m, ok := <-n.got:
			if !ok {
				t.Fatal("notify socket closed")
			}
			if m == serving {
				return
			}
		case <-timeout:
			t.Fatalf("no %q once the CRM answered again\n%s", serving, d.log())
		}
	}
}

// TestRestartInAnOutageKeepsItsStart: a daemon restarted while the CRM
// failed every call (an upgrade, the watchdog) told the outage from its
// own first call: status and the alert's metric began the half hour
// before they call the CRM down anew at every restart. The outage goes on
// from when the daemon before found every call failing.
func TestRestartInAnOutageKeepsItsStart(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(crmConfig(dir, url, e2eLBToken), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	failing := regexp.MustCompile(`every CRM call failing since (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d)`)
	since := func() string {
		var m []string
		waitFor(t, "status to tell the CRM fails", func() bool {
			out, _, _ := syncdRun(t, "status", "-config", config)
			m = failing.FindStringSubmatch(out)
			return m != nil
		})
		return m[1]
	}
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	first := since()
	began, err := time.Parse("2006-01-02 15:04:05 -07:00", first)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "two seconds into the outage", func() bool { return time.Since(began) > 2*time.Second })
	d.stop(t, syscall.SIGTERM)
	d = start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	if again := since(); again != first {
		t.Errorf("after a restart every CRM call failing since %s, want since %s as before it\n%s", again, first, d.log())
	}
}
