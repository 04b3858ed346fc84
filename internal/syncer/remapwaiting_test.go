package syncer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

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

// TestStageTheMappingsNoLongerWriteIsNoLeadsOwnValue: the operator of the
// account above wrote its stage id, 1001, in the mapping and reloaded
// without the replay. The lead mapped before still carried
// appointmentscheduled: it paused the adapter, holding up the leads mapped
// since, and once the check passed it was dead-lettered as "crm refused
// the record's own value", its fix saying first to enter the lead by hand.
// It is dead-lettered at once now, pausing nothing, its line saying that
// the mappings as loaded no longer write that value and that syncd replay
// maps the lead again; the lead mapped since goes out in the same run.
func TestStageTheMappingsNoLongerWriteIsNoLeadsOwnValue(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	fields := []syncd.FieldSpec{
		{Kind: syncd.RecordContact, Name: "email"}, {Kind: syncd.RecordContact, Name: "firstname"}, {Kind: syncd.RecordContact, Name: "lastname"},
		{Kind: syncd.RecordDeal, Name: "dealname"}, {Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"default"}, Where: "eaf.yaml:10"},
		{Kind: syncd.RecordDeal, Name: "dealstage", Values: []string{"1001"}, Where: "eaf.yaml:11", ValueWhere: map[string]string{"1001": "eaf.yaml:11"}},
	}
	r := hubspotRig(t, crmfake.Options{StrictSchema: true}, hubspot.Options{Fields: fields}, func(o *syncer.Options) {
		o.Check = func(context.Context) error { return nil } // the mappings as loaded are right for the account
		o.Log = zerolog.New(&logs).Level(zerolog.InfoLevel)
	})
	r.srv.SetPipelines([]crmfake.Pipeline{{ID: "default", Label: "Lettings", Stages: []crmfake.Stage{{ID: "1001", Label: "New enquiry"}}}})
	enqueueLeads(t, r.db, hubspot.Name, 0, 1) // mapped before: dealstage appointmentscheduled
	ctx := context.Background()
	sum, err := r.s.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.PausedUntil.IsZero() || sum.Dead != 1 {
		t.Fatalf("the lead mapped before the mapping's fix: %+v; want it dead-lettered, nothing paused", sum)
	}
	enqueueLeadsWith(t, r.db, hubspot.Name, 1, 2, func(_ int, _, d *syncd.Op) { d.Properties["dealstage"] = "1001" })
	if sum, err = r.s.RunOnce(ctx); err != nil || !sum.PausedUntil.IsZero() || sum.Done != 2 {
		t.Fatalf("the lead mapped since: %+v %v; want it sent", sum, err)
	}
	var dead syncd.Op
	for _, op := range allOps(t, r.db) {
		if op.State == syncd.OpDead {
			dead = op
		}
	}
	if dead.Kind != syncd.RecordDeal || !strings.Contains(dead.LastError, "no longer write") {
		t.Fatalf("dead: %+v; want the first lead's deal, its error saying the mappings no longer write its stage", dead)
	}
	var line map[string]any
	for _, b := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(b), &m); err == nil && fmt.Sprint(m["op"]) == fmt.Sprint(dead.ID) && strings.Contains(fmt.Sprint(m["message"]), "dead letter") {
			line = m
		}
	}
	if line == nil {
		t.Fatalf("no dead letter line for op %d in:\n%s", dead.ID, logs.String())
	}
	msg, fix := fmt.Sprint(line["message"]), fmt.Sprint(line["fix"])
	if strings.Contains(msg, "own value") || strings.Contains(fix, "enter the lead in the CRM by hand") {
		t.Errorf("a stage the mappings no longer write is said to be the lead's own: %q, fix %q", msg, fix)
	}
	for _, want := range []string{"no longer write", "a value of dealstage", "syncd replay", fmt.Sprintf("syncd events show %d", dead.EventID)} {
		if !strings.Contains(msg+" "+fix, want) {
			t.Errorf("the dead letter line does not say %q: %q, fix %q", want, msg, fix)
		}
	}
}
