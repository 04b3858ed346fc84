package pipedrive_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestStageDeletedWhileRunningPauses: the stage the mappings name, deleted
// in Pipedrive while the daemon runs on the stages it read at start, made
// Pipedrive refuse every new deal, each dead-lettered as the lead's fault.
// The adapter now reads the stages again and the deal is a configuration
// error naming the stage (a pause, and `syncd crm check` says what to fix).
func TestStageDeletedWhileRunningPauses(t *testing.T) {
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{Now: now})
	stages := []crmfake.PDStage{{ID: 1, Name: "Qualified"}, {ID: 2, Name: "Contact Made"}}
	srv.SetPDPipelines([]crmfake.PDPipeline{{ID: 1, Name: "Pipeline", Stages: stages}})
	cs, ds := crmtest.Leads(2)
	for i := range ds {
		ds[i].Properties = map[string]string{"title": "T", "pipeline": "Pipeline", "stage": "Qualified"}
	}
	if cr, dr := deliver(t, a, cs[:1], ds[:1]); cr[0].Err != nil || dr[0].Err != nil {
		t.Fatalf("first lead: %v / %v", cr[0].Err, dr[0].Err)
	}
	stages[0].Deleted = true // an admin deletes the stage, moving its deals on
	srv.SetPDPipelines([]crmfake.PDPipeline{{ID: 1, Name: "Pipeline", Stages: stages}})
	offset.Store(int64(2 * time.Minute))
	cr, dr := crmtest.Deliver(context.Background(), a, cs[1:], ds[1:], 1)
	var ce *syncd.CRMError
	if cr[0].Err != nil || !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != "stage" {
		t.Fatalf("second lead: %v / %v", cr[0].Err, dr[0].Err)
	}
	if n := len(srv.State().Deals); n != 1 {
		t.Fatalf("%d deals", n)
	}
}

// TestRefusedDealRereadsStagesAtMostOncePerMinute: a deal refused for its
// own sake, the account unchanged, stays refused (dead-lettered) and is not
// sent again; the stages are read again at most once a minute however many
// deals are refused.
func TestRefusedDealRereadsStagesAtMostOncePerMinute(t *testing.T) {
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Now: now})
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/deals", Action: crmfake.ActError, Status: 400})
	cs, ds := crmtest.Leads(3)
	if err := a.Resolve(context.Background()); err != nil {
		t.Fatal(err)
	}
	offset.Store(int64(2 * time.Minute))
	_, dr := crmtest.Deliver(context.Background(), a, cs, ds, 1)
	var creates, stageReads int
	for _, r := range srv.Requests() {
		switch {
		case r.Method == "POST" && r.Path == "/api/v2/deals":
			creates++
		case r.Path == "/api/v2/stages":
			stageReads++
		}
	}
	for _, r := range dr {
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrPermanent {
			t.Fatalf("deal: %v", r.Err)
		}
	}
	if creates != 3 || stageReads != 2 {
		t.Fatalf("%d creates, %d reads of the stages (want 3, 2: at start and once again)", creates, stageReads)
	}
}

// TestRefusalNamingAFieldStillThereRereadsOnce: refusals naming a custom
// field syncd holds read the fields again at once (a field deleted since
// is then found gone), but a field the new reading still shows is the
// value's fault: the next refusals naming it wait for the minute, as any
// other, and each lead is refused, not paused.
func TestRefusalNamingAFieldStillThereRereadsOnce(t *testing.T) {
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Concurrency: 1})
	key := srv.AddField("deal", crmfake.Field{Name: "Budget", Type: "varchar"})
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/deals", Action: crmfake.ActError, Status: 400,
		Body: `{"success":false,"error":"Validation failed: ` + key + `: value not allowed","data":null}`})
	cs, ds := crmtest.Leads(3)
	for i := range ds {
		ds[i].Properties = map[string]string{"title": "T", "Budget": "much"}
	}
	if err := a.Resolve(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, dr := crmtest.Deliver(context.Background(), a, cs, ds, 1)
	for _, r := range dr {
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrPermanent {
			t.Fatalf("deal: %v", r.Err)
		}
	}
	if n := srv.CountRequests("GET", "/api/v2/dealFields", 0); n != 2 {
		t.Fatalf("the deal fields read %d times, want 2 (at start and once again)", n)
	}
}
