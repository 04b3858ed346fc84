package syncer_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestMappingFixOfAPauseSaysToMapTheWaitingLeadsAgain: a HubSpot account
// whose deal pipeline has its own stage ids (1001, 1002), where the
// shipped mapping writes appointmentscheduled. The lead's deal was
// refused, the adapter paused, and `syncd status` said that the leads
// wait in the outbox and that it resumes by itself once the check passes;
// the reason, to write the id of a stage of the pipeline in the mapping.
// The operator did so and reloaded: the check passed, and the lead, sent
// as it had been mapped, was refused again and dead-lettered as "the
// record's own value" (on Pipedrive likewise, a stage deleted there and
// another written in the mapping). The pause's hint now says that the
// leads waiting keep their values and how to map them again before the
// reload; done so, the lead reaches HubSpot in the stage written, and
// nothing is dead-lettered.
func TestMappingFixOfAPauseSaysToMapTheWaitingLeadsAgain(t *testing.T) {
	t.Parallel()
	const rule = `rules:
  - name: enquiry
    source: eaf
    event: portal_submission
    contact:
      email: {const: angela@example.com}
      firstname: {const: Angela}
    deal:
      dealname: {const: Enquiry}
      pipeline: {const: default, write: create}
      dealstage: {const: STAGE, write: create}
      syncd_lead_id: {expr: 'syncd.lead_id'}
`
	rules := func(stage string) *mapping.Rules {
		r, err := mapping.Parse("eaf.yaml", []byte(strings.Replace(rule, "STAGE", stage, 1)), hubspot.Name)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	loaded := "appointmentscheduled" // the stage of the mapping the daemon runs on
	r := hubspotRig(t, crmfake.Options{StrictSchema: true}, hubspot.Options{}, func(o *syncer.Options) {
		o.Check = func(context.Context) error {
			if loaded != "1001" {
				return errors.New(`pipelines dealstage: deal stage "appointmentscheduled" is not a stage of the pipeline written`)
			}
			return nil
		}
	})
	r.srv.SetPipelines([]crmfake.Pipeline{{ID: "default", Label: "Lettings", Stages: []crmfake.Stage{{ID: "1001", Label: "New enquiry"}, {ID: "1002", Label: "Viewing"}}}})
	storeLeadEvents(t, r.db, hubspot.Name, 0, 1)
	ctx := context.Background()
	if _, err := mapping.Replay(ctx, r.db, rules(loaded), mapping.ReplayOptions{}); err != nil { // the mapper at intake
		t.Fatal(err)
	}
	sum, err := r.s.RunOnce(ctx)
	if err != nil || sum.PausedUntil.IsZero() || sum.Dead != 0 {
		t.Fatalf("a stage the account lacks: %+v %v; want a pause", sum, err)
	}
	hint := syncer.ResumeHint(sum.PauseKind)
	t.Logf("pause: %s\n%s", sum.PauseReason, hint)
	for _, want := range []string{"keep the values they were mapped with", "syncd replay -since", "before the reload", "-dry-run first"} {
		if !strings.Contains(hint, want) {
			t.Errorf("the pause's hint does not say %q: %s", want, hint)
		}
	}

	// As the hint says: the mapping fixed, the replay, then the reload.
	fixed := rules("1001")
	if _, err := mapping.Replay(ctx, r.db, fixed, mapping.ReplayOptions{Since: time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	loaded = "1001"
	if err := r.s.Recheck(ctx); err != nil {
		t.Fatalf("the check after the reload: %v", err)
	}
	r.drain(t, 5)
	for _, op := range allOps(t, r.db) {
		if op.State != syncd.OpDone {
			t.Errorf("op %d (%s) %s: %s", op.ID, op.Kind, op.State, op.LastError)
		}
	}
	deals := r.srv.State().Deals
	if len(deals) != 1 || deals[0].Properties["dealstage"] != "1001" {
		t.Fatalf("deals in HubSpot: %+v; want the lead's, in stage 1001", deals)
	}
	if h := syncer.ResumeHint(syncd.PauseConfigUnseen); !strings.Contains(h, "syncd replay -since") {
		t.Errorf("the hint of a pause no check sees, whose fix may be in the mappings too, says no replay: %s", h)
	}
}
