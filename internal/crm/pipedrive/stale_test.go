package pipedrive_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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

// TestStageDeletedWithinAMinuteOfTheReadingWaits: a stage the mappings
// name, deleted in Pipedrive less than a minute after syncd read the
// stages, made Pipedrive refuse the deals written with it, each
// dead-lettered as the lead's fault, the stages not read again within the
// minute. A refusal of a write that carried a stage, pipeline or option
// syncd looked up now waits until the stages can be read again; then the
// deal is the configuration error naming the stage (a pause).
func TestStageDeletedWithinAMinuteOfTheReadingWaits(t *testing.T) {
	t.Parallel()
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{Now: now})
	cs, ds := crmtest.Leads(2)
	for i := range ds {
		ds[i].Properties = map[string]string{"title": "T", "pipeline": "Pipeline", "stage": "Contact Made"}
	}
	if cr, dr := deliver(t, a, cs[:1], ds[:1]); cr[0].Err != nil || dr[0].Err != nil {
		t.Fatalf("first lead: %v / %v", cr[0].Err, dr[0].Err)
	}
	req, _ := http.NewRequest(http.MethodDelete, srv.BaseURL()+"/stages/2", nil)
	req.Header.Set("x-api-token", token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("delete the stage: %v, %v", resp, err)
	}
	cr, dr := crmtest.Deliver(context.Background(), a, cs[1:], ds[1:], 1)
	var ce *syncd.CRMError
	if cr[0].Err != nil || !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrWait || ce.RetryAfter <= 0 || ce.RetryAfter > 2*time.Minute {
		t.Fatalf("second lead within the minute: %v / %v", cr[0].Err, dr[0].Err)
	}
	offset.Store(int64(ce.RetryAfter + time.Second))
	_, dr = crmtest.Deliver(context.Background(), a, cs[1:], ds[1:], 1)
	if !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != "stage" {
		t.Fatalf("second lead after the minute: %v", dr[0].Err)
	}
	if n := len(srv.State().Deals); n != 1 {
		t.Fatalf("%d deals", n)
	}
}

// TestDealRefusedForItsOwnSakeWaitsOnce: a deal with a stage, refused for
// its own sake within a minute of the reading, waits once for the next
// reading, and is then refused (dead-lettered) as before: sent twice, not
// kept waiting, however often the stages are read again meanwhile.
func TestDealRefusedForItsOwnSakeWaitsOnce(t *testing.T) {
	t.Parallel()
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Now: now})
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/deals", Action: crmfake.ActError, Status: 400})
	cs, ds := crmtest.Leads(1)
	ds[0].Properties = map[string]string{"title": "T", "stage": "Qualified"}
	if err := a.Resolve(context.Background()); err != nil {
		t.Fatal(err)
	}
	var ce *syncd.CRMError
	for round := range 3 {
		_, dr := crmtest.Deliver(context.Background(), a, cs, ds, 1)
		if !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrWait {
			if round == 0 || ce == nil || ce.Class != syncd.ErrPermanent {
				t.Fatalf("round %d: %v", round, dr[0].Err)
			}
			break
		}
		if round > 0 {
			t.Fatalf("round %d waits again: %v", round, dr[0].Err)
		}
		// Another refusal reads the stages again just before this one's
		// retry: the retry is still judged by a reading after its refusal.
		offset.Add(int64(ce.RetryAfter))
		if err := a.Resolve(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.CountRequests("POST", "/api/v2/deals", 0); n != 2 {
		t.Fatalf("the deal sent %d times, want 2", n)
	}
}

// TestOptionDeletedWithinAMinuteOfTheReadingWaits: an option the mappings
// declare (fields:), deleted in Pipedrive less than a minute after syncd
// read the fields, dead-lettered the leads carrying it; they now wait for
// the next reading, which pauses the adapter naming the field.
func TestOptionDeletedWithinAMinuteOfTheReadingWaits(t *testing.T) {
	t.Parallel()
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	fields := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "Enquiry type", Type: "enum", Dynamic: true, Options: []string{"client", "extra"}}}
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{Now: now, Fields: fields})
	key := srv.AddField("deal", crmfake.Field{Name: "Enquiry type", Type: "enum", Options: []crmfake.PDOption{{Label: "client"}, {Label: "extra"}}})
	cs, ds := crmtest.Leads(2)
	for i := range ds {
		ds[i].Properties = map[string]string{"title": "T", "Enquiry type": "extra"}
	}
	if cr, dr := deliver(t, a, cs[:1], ds[:1]); cr[0].Err != nil || dr[0].Err != nil {
		t.Fatalf("first lead: %v / %v", cr[0].Err, dr[0].Err)
	}
	var extra int64
	for _, f := range srv.Fields("deal") {
		if f.Code == key {
			extra = f.Options[1].ID
		}
	}
	req, _ := http.NewRequest(http.MethodDelete, srv.BaseURL()+"/dealFields/"+key+"/options", strings.NewReader(fmt.Sprintf(`[{"id":%d}]`, extra)))
	req.Header.Set("x-api-token", token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("delete the option: %v, %v", resp, err)
	}
	cr, dr := crmtest.Deliver(context.Background(), a, cs[1:], ds[1:], 1)
	var ce *syncd.CRMError
	if cr[0].Err != nil || !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrWait {
		t.Fatalf("second lead within the minute: %v / %v", cr[0].Err, dr[0].Err)
	}
	offset.Store(int64(ce.RetryAfter))
	_, dr = crmtest.Deliver(context.Background(), a, cs[1:], ds[1:], 1)
	if !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != "Enquiry type" {
		t.Fatalf("second lead after the minute: %v", dr[0].Err)
	}
}

// TestFieldRemadeOfAnotherTypeTakesTheLead: Pipedrive changes no field's
// type, so an admin deletes a field and makes it again, of another type,
// under the same name (a new key) seconds after syncd read the fields.
// Pipedrive refuses the old key; the fields are read again at once and the
// deal is written to the new field, typed for it: no lead refused.
func TestFieldRemadeOfAnotherTypeTakesTheLead(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{})
	old := srv.AddField("deal", crmfake.Field{Name: "Rooms", Type: "varchar"})
	cs, ds := crmtest.Leads(2)
	for i := range ds {
		ds[i].Properties = map[string]string{"title": "T", "Rooms": "5"}
	}
	if cr, dr := deliver(t, a, cs[:1], ds[:1]); cr[0].Err != nil || dr[0].Err != nil {
		t.Fatalf("first lead: %v / %v", cr[0].Err, dr[0].Err)
	}
	req, _ := http.NewRequest(http.MethodDelete, srv.BaseURL()+"/dealFields/"+old, nil)
	req.Header.Set("x-api-token", token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("delete the field: %v, %v", resp, err)
	}
	key := srv.AddField("deal", crmfake.Field{Name: "Rooms", Type: "double"})
	cr, dr := crmtest.Deliver(context.Background(), a, cs[1:], ds[1:], 1)
	if cr[0].Err != nil || dr[0].Err != nil {
		t.Fatalf("second lead: %v / %v", cr[0].Err, dr[0].Err)
	}
	if key == old {
		t.Fatalf("the field made again has the deleted one's key %s", key)
	}
	found := false
	for _, d := range srv.State().Deals {
		if d.ID == dr[0].ID {
			found = true
			if d.Properties["custom_fields."+key] != "5" {
				t.Fatalf("deal %v, want Rooms 5 under %s", d.Properties, key)
			}
		}
	}
	if !found {
		t.Fatalf("deal %s not in Pipedrive", dr[0].ID)
	}
}
