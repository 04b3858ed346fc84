package main_test

import (
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
