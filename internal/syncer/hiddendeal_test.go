package syncer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestPipedriveDealHiddenSinceIsNotToldAPermissionSetAlone: the token is a
// regular user's; syncd made a lead's deal, then an admin hid its
// pipeline from the user. Pipedrive refuses the deal's update 403, and the
// adapter's error says the deal's pipeline may be one the user may not
// see (visibility groups). The pause's way out, which status and the log
// show beside that reason, said only to grant the permission in the
// token user's permission set: the operator was sent to the wrong screen.
// It now names the pipeline's visibility too.
func TestPipedriveDealHiddenSinceIsNotToldAPermissionSetAlone(t *testing.T) {
	t.Parallel()
	r := pipedriveRig(t, crmfake.Options{RegularUser: true})
	ctx := context.Background()
	enqueueLeads(t, r.db, pipedrive.Name, 0, 1)
	if sum, err := r.s.RunOnce(ctx); err != nil || sum.Dead != 0 || !sum.PausedUntil.IsZero() || len(r.srv.State().Deals) != 1 {
		t.Fatalf("the first lead: %+v %v", sum, err)
	}
	r.srv.HidePDPipeline("Pipeline") // the deal's pipeline, hidden from the user
	enqueueLeadsWith(t, r.db, pipedrive.Name, 1, 2, func(i int, c, d *syncd.Op) {
		d.Key, d.ContactKey = leadID(0), c.Key // the first lead's deal, updated
		d.Properties = map[string]string{"title": "Enquiry, updated"}
	})
	var sum syncer.Summary
	for range 3 {
		var err error
		if sum, err = r.s.RunOnce(ctx); err != nil || !sum.PausedUntil.IsZero() {
			break
		}
	}
	p, err := r.db.AdapterPause(ctx, pipedrive.Name)
	if err != nil || p.Kind != syncd.PausePermission || !strings.Contains(p.Reason, "a pipeline its visibility group may not see") {
		t.Fatalf("AdapterPause = %+v, %v; want a refused permission naming the pipeline's visibility", p, err)
	}
	hint := syncer.ResumeHint(p.Kind)
	t.Logf("reason: %s\nhint: %s", p.Reason, hint)
	for _, want := range []string{"what the reason names", "that pipeline to the user's visibility group", "an admin user's token"} {
		if !strings.Contains(hint, want) {
			t.Errorf("the way out of the pause does not say %q: %s", want, hint)
		}
	}
}
