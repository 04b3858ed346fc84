package syncer_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPipedriveFieldDeletedSinceTheLastReadPauses: a custom deal field the
// mappings write, deleted in Pipedrive seconds after the adapter read the
// account's fields, made Pipedrive refuse the next leads' deals, each
// dead-lettered as the lead's fault: the fields were read again at most
// once a minute. A refusal naming a field syncd holds makes the adapter
// read them again at once: the deals are the configuration error naming
// the field (a pause), and none is dead-lettered.
func TestPipedriveFieldDeletedSinceTheLastReadPauses(t *testing.T) {
	t.Parallel()
	r := pipedriveRig(t, crmfake.Options{StrictSchema: true})
	key := r.srv.AddField("deal", crmfake.Field{Name: "Budget", Type: "varchar"})
	withBudget := func(i int, c, d *syncd.Op) {
		c.Properties["name"] = c.Properties["firstname"]
		d.Properties = map[string]string{"title": d.Properties["dealname"], "Budget": "2 mio"}
	}
	enqueueLeadsWith(t, r.db, pipedrive.Name, 0, 1, withBudget)
	r.drain(t, 10)
	if dead := r.check(t); len(dead) != 0 {
		t.Fatalf("first lead dead: %+v", dead)
	}
	req, _ := http.NewRequest(http.MethodDelete, r.srv.BaseURL()+"/dealFields/"+key, nil)
	req.Header.Set("x-api-token", fakeToken)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("delete the field: %v, %v", resp, err)
	}
	enqueueLeadsWith(t, r.db, pipedrive.Name, 1, 4, withBudget)
	sum, err := r.s.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	noneDead(t, r.db)
	if sum.Dead != 0 || sum.PausedUntil.IsZero() || !strings.Contains(sum.PauseReason, "Budget") {
		t.Fatalf("not paused for the field: %+v", sum)
	}
	if n := len(r.srv.State().Deals); n != 1 {
		t.Fatalf("%d deals in Pipedrive, want the first lead's alone", n)
	}
}
