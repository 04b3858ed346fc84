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

// TestPipedrivePipelineDeletedAfterACheckPassedPauses: the mappings write
// every deal into the pipeline "Lettings" and its stage "New enquiry" as
// constants. The adapter paused while Pipedrive had no such pipeline, the
// admin made it, the check passed and the leads went out. Minutes later
// the pipeline was deleted in Pipedrive: the next lead's deal was refused,
// the adapter read the pipelines again and said `no pipeline named
// "Lettings"` (FIELD_UNKNOWN), and the syncer, the check having passed
// for "pipeline" within the pause, took it for a property the mappings as
// checked no longer write and dead-lettered every lead's deal, one by one.
// The mappings still write it; the account changed: the adapter pauses,
// saying the pipeline the mappings write is no longer in Pipedrive, and
// nothing is dead-lettered.
func TestPipedrivePipelineDeletedAfterACheckPassedPauses(t *testing.T) {
	t.Parallel()
	clk := newClock()
	db := openDB(t, clk)
	srv := crmfake.New(crmfake.Options{Kind: crmfake.KindPipedrive, Token: fakeToken, Seed: 3, StrictSchema: true})
	srv.AddField("person", crmfake.Field{Name: "firstname", Type: "varchar"})
	srv.AddField("deal", crmfake.Field{Name: "dealname", Type: "varchar"})
	pipes := func(lettings bool) []crmfake.PDPipeline {
		ps := []crmfake.PDPipeline{{ID: 1, Name: "Pipeline", Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified"}}}}
		if lettings {
			ps = append(ps, crmfake.PDPipeline{ID: 2, Name: "Lettings", Stages: []crmfake.PDStage{{ID: 7, Name: "New enquiry"}}})
		}
		return ps
	}
	srv.SetPDPipelines(pipes(false))
	base := srv.Start()
	t.Cleanup(func() { _ = srv.Close() })
	fields := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"Lettings"}, Where: "eaf.yaml:30"},
		{Kind: syncd.RecordDeal, Name: "stage", Values: []string{"New enquiry"}, Where: "eaf.yaml:31"},
	}
	_, s := checkedPipedrive(t, db, clk, base, fields, clk.Now)
	ctx := context.Background()
	inLettings := func(i int, c, d *syncd.Op) {
		c.Properties["name"] = c.Properties["firstname"]
		d.Properties = map[string]string{"title": d.Properties["dealname"], "pipeline": "Lettings", "stage": "New enquiry"}
	}

	enqueueLeadsWith(t, db, pipedrive.Name, 0, 1, inLettings)
	if sum, err := s.RunOnce(ctx); err != nil || sum.PausedUntil.IsZero() || sum.Dead != 0 {
		t.Fatalf("no pipeline Lettings in Pipedrive: %+v %v; want a pause", sum, err)
	}
	srv.SetPDPipelines(pipes(true))
	if err := s.Recheck(ctx); err != nil {
		t.Fatalf("the check with the pipeline made: %v", err)
	}
	if sum, err := s.RunOnce(ctx); err != nil || sum.Dead != 0 || !sum.PausedUntil.IsZero() || len(srv.State().Deals) != 1 {
		t.Fatalf("after the check passed: %+v %v, %d deals", sum, err, len(srv.State().Deals))
	}

	clk.Advance(2 * time.Minute) // within ConfigPause of the check that passed; the pipelines may be read again
	srv.SetPDPipelines(pipes(false))
	enqueueLeadsWith(t, db, pipedrive.Name, 1, 3, inLettings)
	sum, err := s.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	noneDead(t, db)
	t.Logf("pause: %s", sum.PauseReason)
	if sum.Dead != 0 || sum.PausedUntil.IsZero() ||
		!strings.Contains(sum.PauseReason, `the pipeline "Lettings" that eaf.yaml:30 writes is no longer in Pipedrive (deleted or renamed`) {
		t.Fatalf("the pipeline deleted: %+v; want a pause naming it", sum)
	}

	srv.SetPDPipelines(pipes(true)) // made again: the check passes, the leads go out
	if err := s.Recheck(ctx); err != nil {
		t.Fatalf("the check with the pipeline made again: %v", err)
	}
	if sum, err := s.RunOnce(ctx); err != nil || sum.Dead != 0 || !sum.PausedUntil.IsZero() {
		t.Fatalf("after the check passed again: %+v %v", sum, err)
	}
	if n := len(srv.State().Deals); n != 3 {
		t.Errorf("%d deals; want 3", n)
	}
}
