package main_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestGiveUpBesideAnOperationBeingSentSaysTheLease: on PostgreSQL, a
// lead's contact being sent by the sync leader (the CRM slow to answer)
// and its deal given up by hand. The give-up said of what was left "1
// operation still pending: it goes at next try of the instance leading
// sync, or now with syncd sync", though a lease held it and syncd sync
// would not send it before the lease ends. It says the lease and until
// when.
func TestGiveUpBesideAnOperationBeingSentSaysTheLease(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{})
	config := writeCRMConfigOnPort(t, dir, url, true, pgStore(t, dir, dsn))
	d := start(t, config)
	waitFor(t, "the instance to lead the sync", func() bool { return strings.Contains(d.log(), "leading sync") })
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/**", Action: crmfake.ActSlow, Delay: 25 * time.Second})
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the lead being sent", func() bool { return fake.Faults()[0].Fired > 0 })
	deal := ""
	for _, op := range syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config) {
		if op["kind"] == "deal" {
			deal = fmt.Sprint(op["id"])
		}
	}
	out, errOut, code := syncdRun(t, "outbox", "give-up", "-config", config, deal)
	if code != 0 || !strings.Contains(out, "1 operation still pending: ") ||
		!strings.Contains(out, "; but 1 of them is held by a lease until ") {
		t.Errorf("give-up of the deal while its contact is sent: exit %d, want 0 and the contact's lease said\n%s%s", code, out, errOut)
	}
	d.stop(t, syscall.SIGKILL)
}
