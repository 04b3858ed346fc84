package main_test

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestSyncThatSentNothingLeavesLastSync: a daemon killed while sending a
// lead left its contact's operation leased. syncd sync then claimed
// nothing (0 claimed, the lease named), yet recorded itself as the
// last sync, which status, with no daemon answering, then showed as
// "last sync: 0s ago": a sync that sent nothing, with the lead still
// waiting. Now such a run leaves the last sync as it was.
func TestSyncThatSentNothingLeavesLastSync(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true)
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/contacts/**", Action: crmfake.ActHang})
	d := start(t, config)
	contactBeingSent(t, d, config)
	d.stop(t, syscall.SIGKILL) // mid-send: the lease stays
	before := lastSyncIn(t, dir)
	out, errOut, code := syncdRun(t, "sync", "-config", config)
	t.Logf("syncd sync, exit %d:\n%s%s", code, out, errOut)
	if code != 5 || !strings.Contains(out, "0 claimed") || !strings.Contains(out, "held by a lease") {
		t.Fatalf("sync beside the lease: exit %d; want 5 (no daemon), nothing claimed, the lease named", code)
	}
	if after := lastSyncIn(t, dir); !after.Equal(before) {
		t.Errorf("a sync that claimed nothing, everything due leased, recorded the last sync: %s, was %s", after, before)
	}
}

// lastSyncIn reads the HubSpot last sync recorded in the database of the
// configuration in dir (no daemon running).
func lastSyncIn(t *testing.T, dir string) time.Time {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	last, err := db.LastSync(ctx, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	return last
}

// TestSyncBesideALeaseOfAStoppedDaemonSaysWhatSendsThem: the lease is a
// killed daemon's and no daemon serves the database: syncd sync said the
// operations it holds "go by themselves", but nothing runs to send them
// once it ends, and exited 6, "what is left goes out by itself". Now it
// says no daemon serves the database, and what sends them: syncd sync
// after the lease, or the daemon's start; and it exits 5, a person must
// act.
func TestSyncBesideALeaseOfAStoppedDaemonSaysWhatSendsThem(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{})
	config := writeCRMConfigOnPort(t, t.TempDir(), url, true)
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/contacts/**", Action: crmfake.ActHang})
	d := start(t, config)
	contactBeingSent(t, d, config)
	d.stop(t, syscall.SIGKILL)
	out, errOut, code := syncdRun(t, "sync", "-config", config)
	t.Logf("syncd sync, exit %d:\n%s%s", code, out, errOut)
	if !strings.Contains(out, "held by a lease") || strings.Contains(out, "go by themselves") ||
		!strings.Contains(out, "no syncd daemon serves this database") {
		t.Errorf("sync beside a stopped daemon's lease: want no promise that they go by themselves, and what sends them")
	}
	if code != 5 {
		t.Errorf("sync beside a stopped daemon's lease, no daemon serving: exit %d, want 5 (a person must act)", code)
	}
}
