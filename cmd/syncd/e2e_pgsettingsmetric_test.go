package main_test

import (
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestMetricsSayAnInstanceWhoseSettingsDiffer: an instance on the same
// PostgreSQL database with another Lokalebasen token (behind the load
// balancer, every other delivery refused) made syncd status exit 5 once it
// lasted 10 minutes, and the instances logged a warning, but /metrics had
// no series of it: an operator watching the cluster with Prometheus alone
// was never told. Each instance now exports how many others differ from
// it, and 0 again once they agree (here: the odd one stopped). The
// instances' scrapes lint clean, with no token nor the DSN in a label.
func TestMetricsSayAnInstanceWhoseSettingsDiffer(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	instance := func(token string) *daemon {
		dir := t.TempDir()
		file := filepath.Join(dir, "syncd.yaml")
		if err := os.WriteFile(file, []byte(configYAML(dir, []string{token}, pgStore(t, dir, dsn))), 0o600); err != nil {
			t.Fatal(err)
		}
		return start(t, file)
	}
	first := instance(e2eLBToken)
	defer first.stop(t, syscall.SIGTERM)
	const differ = "syncd_cluster_settings_differ_instances"
	if got := metricLine(metricsText(t, first.url), differ); got != differ+" 0" {
		t.Errorf("/metrics of a lone instance: %q, want %s 0", got, differ)
	}
	other := instance("another-lokalebasen-token-42")
	waitFor(t, "both instances to count the other's settings as differing", func() bool {
		return metricLine(metricsText(t, first.url), differ) == differ+" 1" && metricLine(metricsText(t, other.url), differ) == differ+" 1"
	})
	never := []string{"another-lokalebasen-token-42", dsn} // nor the DSN's password, if it has one
	if u, err := url.Parse(dsn); err == nil {
		if pw, ok := u.User.Password(); ok {
			never = append(never, pw)
		}
	}
	lintScrape(t, scrapeFamilies(t, first), never) // the cluster's series too
	lintScrape(t, scrapeFamilies(t, other), never)
	if err := other.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first instance to count none once the other stopped", func() bool {
		return metricLine(metricsText(t, first.url), differ) == differ+" 0"
	})
}
