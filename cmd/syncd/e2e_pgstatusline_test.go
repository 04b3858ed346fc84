package main_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestSystemdStatusOnEveryInstanceFollowsTheSyncLeader runs two instances
// on one PostgreSQL database: only the sync leader's syncer fed the
// systemd STATUS= line, so `systemctl status syncd` on the other said
// "serving on ADDR" through a paused adapter and a CRM failing every call,
// though `syncd status` there named both. Every instance's line says them,
// and "serving on ADDR" alone once the pause is lifted and the CRM answers
// again.
func TestSystemdStatusOnEveryInstanceFollowsTheSyncLeader(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("two instances: not in -short")
	}
	dsn := pgtest.DSN(t)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	ns, ds, serving, config := notifyingInstances(t, dsn, fakeURL, false)
	for _, d := range ds {
		defer d.stop(t, syscall.SIGTERM)
	}
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/**", Action: crmfake.ActError, Status: 401, Uses: 1})
	postTestdata(t, ds[0], "eaf/email_lead.json")
	for i, n := range ns {
		want := "STATUS=ATTENTION: CRM hubspot PAUSED (authentication rejected): syncd status -config " + sq(ds[i].cmd.Args[3]) + " (" +
			strings.TrimPrefix(serving[i], "STATUS=") + ")"
		n.awaitMatch(t, want, func(m string) bool { return m == want }, time.Minute)
	}
	resumeBesideLeader(t, config)
	for i, n := range ns {
		n.awaitMatch(t, serving[i], func(m string) bool { return m == serving[i] }, time.Minute)
	}
	waitFor(t, "the paused lead in the CRM", func() bool { return len(fake.State().Contacts) == 1 })

	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	postTestdata(t, ds[1], "lokalebasen/enquiry_created.json")
	var since [2]string
	for i, n := range ns {
		want := serving[i] + "; CRM hubspot: every call failing since "
		_, m := n.awaitMatch(t, want, func(m string) bool { return strings.HasPrefix(m, want) }, time.Minute)
		since[i] = strings.TrimPrefix(m, want)
	}
	if since[0] != since[1] {
		t.Errorf("the instances tell different outages: since %q and since %q", since[0], since[1])
	}

	fake.ClearFaults()
	for i, n := range ns { // the leader tries again after its cool-down
		n.awaitMatch(t, serving[i], func(m string) bool { return m == serving[i] }, 3*time.Minute)
	}
	waitFor(t, "the lead that waited in the CRM", func() bool { return len(fake.State().Contacts) == 2 })
}

// TestNewSyncLeaderEndsTheCRMFailingItFollowed: an instance whose status
// line followed the sync leader's CRM failing every call, then leads sync
// itself (the leader stopped) with the CRM answering again, clears the
// leader's row: its line says "serving on ADDR" again, not the outage it
// followed (its syncer, whose calls go through, tells of none ending).
func TestNewSyncLeaderEndsTheCRMFailingItFollowed(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("two instances: not in -short")
	}
	dsn := pgtest.DSN(t)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	ns, ds, serving, _ := notifyingInstances(t, dsn, fakeURL, false)
	postTestdata(t, ds[0], "eaf/email_lead.json")
	for i, n := range ns {
		want := serving[i] + "; CRM hubspot: every call failing since "
		n.awaitMatch(t, want, func(m string) bool { return strings.HasPrefix(m, want) }, time.Minute)
	}
	leader := -1
	for i, d := range ds {
		if strings.Contains(d.log(), `"message":"leading sync"`) {
			leader = i
		}
	}
	if leader < 0 {
		t.Fatal("no instance leads sync")
	}
	ds[leader].stop(t, syscall.SIGTERM)
	fake.ClearFaults()
	other := 1 - leader
	waitFor(t, "the lead in the CRM", func() bool { return len(fake.State().Contacts) == 1 })
	ns[other].awaitMatch(t, serving[other], func(m string) bool { return m == serving[other] }, time.Minute)
	ds[other].stop(t, syscall.SIGTERM)
}

// notifyingInstances starts two instances on the PostgreSQL database dsn
// and the stand-in CRM at fakeURL, each with a systemd notify socket of
// its own, and waits for each one's "STATUS=serving on ADDR" line (serving).
// setUp runs crm setup for the first one's configuration (the account's,
// once). config is the last one's configuration.
func notifyingInstances(t *testing.T, dsn, fakeURL string, setUp bool) (ns [2]*notifications, ds [2]*daemon,
	serving [2]string, config string) {
	t.Helper()
	for i := range 2 {
		dir := t.TempDir()
		config = writeCRMConfigOnPort(t, dir, fakeURL, setUp && i == 0, pgStore(t, dir, dsn))
		var sock string
		ns[i], sock = listenNotify(t)
		ds[i] = start(t, config, "NOTIFY_SOCKET="+sock)
		serving[i] = "STATUS=serving on " + strings.TrimPrefix(ds[i].url, "http://")
		ns[i].await(t, serving[i])
	}
	return ns, ds, serving, config
}
