package syncer_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestSetAsideWhilePausedSaysNothingGoes: a batch of 40 contacts holds
// one the CRM never takes (a 504 to every call holding it) while its
// account check passes, so the run halves it; the half without it draws a
// rejected token (401), which pauses the adapter. The half with it is set
// aside, and its line said "the leads behind it go on": while the adapter
// is paused nothing goes. The line says the adapter is paused, and that
// the leads wait for the pause to end.
func TestSetAsideWhilePausedSaysNothingGoes(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.BatchSize, o.Lease, o.ByHand = 100, 5*time.Minute, true
		o.Probe = func(context.Context) error { return nil }
		o.Log = zerolog.New(&logs).Level(zerolog.InfoLevel)
	})
	enqueueLeads(t, r.db, hubspot.Name, 0, 40)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, BodyContains: email(17), Action: crmfake.ActError, Status: 504})
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, Action: crmfake.ActError, Status: 401, Uses: 1})
	sum, err := r.s.RunOnce(context.Background())
	if err != nil || sum.PausedUntil.IsZero() || len(sum.Aside) == 0 {
		t.Fatalf("run = %+v, %v; want the adapter paused and a half set aside", sum, err)
	}
	aside := grepLog(logs.String(), "set aside")
	if aside == "" {
		t.Fatalf("no set-aside line:\n%s", logs.String())
	}
	if strings.Contains(aside, "go on") || !strings.Contains(aside, "paused") {
		t.Errorf("the set-aside line while the adapter is paused:\n%s\nwant it to say the adapter is paused, not that the leads behind it go on", aside)
	}
}

// grepLog is the lines of logs holding s.
func grepLog(logs, s string) string {
	var out []string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
