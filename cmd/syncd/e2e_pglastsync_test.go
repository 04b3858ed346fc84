package main_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestLostSyncLeadEndsTheLastSyncItExported: on PostgreSQL only the sync
// leader exports syncd_last_sync_success_timestamp_seconds, as the README
// says. A leader cut off from the database lost the lead to another
// instance, and once reachable again kept exporting the time of its own
// last sync for good: half an hour later the README's "CRM sync stuck"
// alert (time() - syncd_last_sync_success_timestamp_seconds > 1800) fired
// on it while the new leader synced. An instance that no longer leads
// sync exports no last sync.
func TestLostSyncLeadEndsTheLastSyncItExported(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("two instances: not in -short")
	}
	links, ds := twoInstances(t, func(dir, dsn string) string {
		return configYAML(dir, []string{e2eLBToken}, `sync: {schedule: "@every 1s"}`+"\n"+pgStore(t, dir, dsn))
	})
	const gauge = "syncd_last_sync_success_timestamp_seconds{"
	leader := -1
	waitFor(t, "the sync leader to export its last sync", func() bool {
		for i, d := range ds {
			if strings.Contains(metricsText(t, d.url), gauge) {
				leader = i
				return true
			}
		}
		return false
	})
	links[leader].cut()
	other := 1 - leader
	waitFor(t, "the other instance to lead sync and export its last sync", func() bool {
		return strings.Contains(ds[other].log(), `"message":"leading sync"`) && strings.Contains(metricsText(t, ds[other].url), gauge)
	})
	links[leader].mend(t)
	waitFor(t, "the former leader to export no last sync", func() bool {
		return !strings.Contains(metricsText(t, ds[leader].url), gauge)
	})
}

// twoInstances starts two instances on one new PostgreSQL database, each
// reaching it through a link of its own that the test can cut, with the
// configuration yaml gives for a directory and a DSN (listening on a free
// port in place of 127.0.0.1:0).
func twoInstances(t *testing.T, yaml func(dir, dsn string) string) ([2]*dbLink, [2]*daemon) {
	t.Helper()
	u, err := url.Parse(pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	var links [2]*dbLink
	var ds [2]*daemon
	for i := range 2 {
		links[i] = newDBLink(t, u.Host)
		via := *u
		via.Host = links[i].addr
		dir := t.TempDir()
		cfg := strings.Replace(yaml(dir, via.String()), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
		file := filepath.Join(dir, "syncd.yaml")
		if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		ds[i] = start(t, file)
	}
	return links, ds
}
