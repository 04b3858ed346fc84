package syncer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPipedrivePipelineHiddenAgainAfterACheckPassedPausesAgain: the token
// is a regular user's; an admin hid the pipeline the mappings write from
// it, the adapter paused, the admin let the user see it again, the check
// passed and the leads went out. Minutes later it was hidden again: the
// check having passed for the pipeline within the pause, the syncer took
// the refusal for the lead's own and dead-lettered it, and every lead
// after it until the pause's time was out. The adapter found the pipeline
// hidden in the account as it read it: it pauses again, and nothing is
// dead-lettered.
func TestPipedrivePipelineHiddenAgainAfterACheckPassedPausesAgain(t *testing.T) {
	t.Parallel()
	clk := newClock()
	db := openDB(t, clk)
	srv := crmfake.New(crmfake.Options{Kind: crmfake.KindPipedrive, Token: fakeToken, Seed: 3, StrictSchema: true, RegularUser: true})
	srv.AddField("person", crmfake.Field{Name: "firstname", Type: "varchar"})
	srv.AddField("deal", crmfake.Field{Name: "dealname", Type: "varchar"})
	pipes := func(hidden bool) []crmfake.PDPipeline {
		return []crmfake.PDPipeline{
			{ID: 1, Name: "Pipeline", Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified"}}},
			{ID: 2, Name: "Lettings", Hidden: hidden, Stages: []crmfake.PDStage{{ID: 7, Name: "New enquiry"}}},
		}
	}
	base := srv.Start()
	t.Cleanup(func() { _ = srv.Close() })
	fields := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"Lettings"}, Where: "eaf.yaml:38"},
		{Kind: syncd.RecordDeal, Name: "stage", Values: []string{"New enquiry"}, Where: "eaf.yaml:39"},
	}
	a, s := checkedPipedrive(t, db, clk, base, fields, nil)
	ctx := context.Background()
	hide := func(hidden bool) { // an admin sets the pipeline's visibility; a reload reads it
		t.Helper()
		srv.SetPDPipelines(pipes(hidden))
		if err := a.Resolve(ctx); err != nil {
			t.Fatal(err)
		}
	}
	toLettings := func(i int, c, d *syncd.Op) {
		c.Properties["name"] = c.Properties["firstname"]
		d.Properties = map[string]string{"title": d.Properties["dealname"], "pipeline": "Lettings", "stage": "New enquiry"}
	}

	hide(true)
	enqueueLeadsWith(t, db, pipedrive.Name, 0, 1, toLettings)
	if sum, err := s.RunOnce(ctx); err != nil || sum.PausedUntil.IsZero() || sum.Dead != 0 {
		t.Fatalf("the pipeline hidden from the token's user: %+v %v; want a pause", sum, err)
	}
	hide(false)
	if err := s.Recheck(ctx); err != nil {
		t.Fatalf("the check with the pipeline visible: %v", err)
	}
	if sum, err := s.RunOnce(ctx); err != nil || sum.Dead != 0 || !sum.PausedUntil.IsZero() {
		t.Fatalf("after the check passed: %+v %v", sum, err)
	}

	clk.Advance(time.Minute) // within ConfigPause of the check that passed
	hide(true)
	enqueueLeadsWith(t, db, pipedrive.Name, 1, 2, toLettings)
	sum, err := s.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	noneDead(t, db)
	if sum.Dead != 0 || sum.PausedUntil.IsZero() || !strings.Contains(sum.PauseReason, "visibility group may not see") {
		t.Fatalf("the pipeline hidden again: %+v; want a pause saying why", sum)
	}
}
