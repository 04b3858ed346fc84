package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestReloadReadsTheOutcomeAfterTheCountGrew: the daemon sets a reload's
// outcome before it counts the load, but one /metrics scrape reads its
// series concurrently, so a scrape taken during a rejected reload could
// show the load counted beside the previous reload's success: syncd
// reload then said "reloaded", exit 0, of a mapping just broken (CI at
// eafb76e2, TestReloadSaysWhetherTheDaemonTookTheFiles). It reads the
// outcome from a scrape begun after one that saw the count grow.
func TestReloadReadsTheOutcomeAfterTheCountGrew(t *testing.T) {
	t.Parallel()
	page := func(loads, ok int) string {
		return fmt.Sprintf("syncd_build_info{goversion=\"go1.24\",revision=\"\",version=\"1.0.0\"} 1\n"+
			"syncd_daemon_info{database=\"/var/lib/syncd/syncd.db\",pid=\"4242\"} 1.7e9\n"+
			"syncd_config_loads_total %d\nsyncd_config_last_reload_successful %d\n", loads, ok)
	}
	var mu sync.Mutex
	pages := []string{
		page(2, 1), // before the signal: the start and one reload, taken
		page(3, 1), // mid-reload: counted, its outcome read before it was set
		page(3, 0), // rejected
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprint(w, pages[0])
		if len(pages) > 1 {
			pages = pages[1:]
		}
	}))
	defer srv.Close()

	ctx := context.Background()
	before, err := scrape(ctx, srv.URL)
	if err != nil || before.Loads != 2 || before.PID != 4242 {
		t.Fatalf("first scrape: %+v, %v", before, err)
	}
	after, err := loadedAgain(ctx, srv.URL, before, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !after.ReloadFailed || after.Loads != 3 {
		t.Fatalf("after the reload: loads %v, rejected %v; want 3 loads, the last rejected", after.Loads, after.ReloadFailed)
	}
}
