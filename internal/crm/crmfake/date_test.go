package crmfake_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestAnswersAreDatedByTheFakesClock: an answer's Date header is the
// clock the records' add_time is (Options.Now), as a CRM's server dates
// its answers by its own clock; it was net/http's, the machine's, so a
// fake playing a CRM whose clock differs from the host's told two times.
func TestAnswersAreDatedByTheFakesClock(t *testing.T) {
	clk := newClock() // 2026-03-04 10:00 UTC, not today
	_, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "tok", Now: clk.Now})
	p := call(t, "POST", base+"/persons", "tok", map[string]any{"name": "Ann"})
	if p.status != 200 {
		t.Fatalf("create: %d %s", p.status, p.raw)
	}
	added := fmt.Sprint(p.body["data"].(map[string]any)["add_time"])
	date, err := http.ParseTime(p.header.Get("Date"))
	if err != nil {
		t.Fatalf("Date %q: %v", p.header.Get("Date"), err)
	}
	if !date.Equal(clk.Now()) || added != clk.Now().Format(time.RFC3339) {
		t.Fatalf("Date %s, add_time %s; want both %s", date, added, clk.Now())
	}
}
