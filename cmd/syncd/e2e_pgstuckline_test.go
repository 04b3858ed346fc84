package main_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestSystemdStatusOnEveryInstanceSaysTheStuckBatch runs two instances on
// one PostgreSQL database with the CRM answering but for the contacts'
// batch upsert (504 every time): only the sync leader's line said ONE
// BATCH STUCK, the other's "serving on ADDR", as if all were well. Every
// instance's line says it, from the row the leader stored.
func TestSystemdStatusOnEveryInstanceSaysTheStuckBatch(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("two instances: not in -short")
	}
	dsn := pgtest.DSN(t)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	ns, ds, _, _ := notifyingInstances(t, dsn, fakeURL, true) // one crm setup for the account
	for _, d := range ds {
		defer d.stop(t, syscall.SIGTERM)
	}
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActError, Status: 504})
	postTestdata(t, ds[0], "eaf/email_lead.json")
	for i, n := range ns {
		want := "STATUS=ATTENTION: CRM hubspot answers, but ONE BATCH STUCK (504 Gateway Timeout to operation 1): syncd status -config " + sq(ds[i].cmd.Args[3])
		n.awaitMatch(t, want+" on instance "+string(rune('0'+i)), func(m string) bool { return strings.HasPrefix(m, want) }, 3*time.Minute)
	}
}
