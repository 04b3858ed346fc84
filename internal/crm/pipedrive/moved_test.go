package pipedrive_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// pdCall sends one request to crmfake's Pipedrive API as an admin would.
func pdCall(t *testing.T, srv *crmfake.Server, method, path, body string) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.BaseURL()+path, strings.NewReader(body))
	req.Header.Set("x-api-token", token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %v %v", method, path, resp, err)
	}
	_ = resp.Body.Close()
}

// TestStageMovedToAnotherPipelinePauses: an admin moves the stage the
// mappings name ("Pipeline" / "Qualified") to another pipeline while
// syncd runs. Pipedrive refuses nothing (a deal's pipeline follows its
// stage), so every new deal silently landed in the other pipeline until a
// restart. Now the deal Pipedrive answers with, in another pipeline than
// the mapping's, is named in the log (its id, no personal data) and pauses
// the adapter naming the stage; the stages read again, the next deal is
// not written at all.
func TestStageMovedToAnotherPipelinePauses(t *testing.T) {
	t.Parallel()
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	var log logtest.Buffer
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true},
		pipedrive.Options{Now: now, Logger: zerolog.New(&log).Level(zerolog.InfoLevel)})
	srv.SetPDPipelines([]crmfake.PDPipeline{
		{ID: 1, Name: "Pipeline", Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified"}, {ID: 2, Name: "Contact Made"}}},
		{ID: 2, Name: "Rentals", Stages: []crmfake.PDStage{{ID: 3, Name: "Viewing"}}}})
	cs, ds := crmtest.Leads(3)
	for i := range ds {
		ds[i].Properties = map[string]string{"title": "T", "pipeline": "Pipeline", "stage": "Qualified"}
	}
	if cr, dr := deliver(t, a, cs[:1], ds[:1]); cr[0].Err != nil || dr[0].Err != nil {
		t.Fatalf("first lead: %v / %v", cr[0].Err, dr[0].Err)
	}
	pdCall(t, srv, http.MethodPatch, "/stages/1", `{"pipeline_id":2}`)
	offset.Store(int64(2 * time.Minute))

	cr, dr := crmtest.Deliver(context.Background(), a, cs[1:2], ds[1:2], 1)
	var ce *syncd.CRMError
	if cr[0].Err != nil || !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != "stage" ||
		!strings.Contains(ce.Message, `"Qualified"`) || !strings.Contains(ce.Message, `"Rentals"`) {
		t.Fatalf("second lead: %v / %v", cr[0].Err, dr[0].Err)
	}
	st := srv.State()
	if len(st.Deals) != 2 || st.Deals[1].Properties["pipeline_id"] != "2" {
		t.Fatalf("deals %+v", st.Deals)
	}
	out := log.String()
	if !strings.Contains(out, `"deal_id":"`+st.Deals[1].ID+`"`) || strings.Contains(out, cs[1].Email) {
		t.Fatalf("log does not name the misplaced deal by id alone: %s", out)
	}

	cr, dr = crmtest.Deliver(context.Background(), a, cs[2:], ds[2:], 1)
	if cr[0].Err != nil || !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != "stage" {
		t.Fatalf("third lead: %v / %v", cr[0].Err, dr[0].Err)
	}
	if n := len(srv.State().Deals); n != 2 {
		t.Fatalf("%d deals after the third lead, want 2", n)
	}
	specs := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"Pipeline"}},
		{Kind: syncd.RecordDeal, Name: "stage", Values: []string{"Qualified"}}}
	fs, err := a.Check(context.Background(), specs) // what the pause runs until it passes
	if err != nil || !slices.ContainsFunc(fs, func(f syncd.Finding) bool {
		return f.Severity == syncd.SevError && strings.Contains(f.Problem, `"Qualified"`)
	}) {
		t.Fatalf("check: %v %+v", err, fs)
	}
}

// TestStageMovedCarriesAnUpdatedDealPauses: with the stage written on
// every update (no `write: create`), the lead's next update moved its deal
// silently into the pipeline the stage was moved to. The answer's pipeline
// now names the deal in the log and pauses the adapter as for a new deal.
func TestStageMovedCarriesAnUpdatedDealPauses(t *testing.T) {
	t.Parallel()
	var log logtest.Buffer
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{Logger: zerolog.New(&log).Level(zerolog.InfoLevel)})
	srv.SetPDPipelines([]crmfake.PDPipeline{
		{ID: 1, Name: "Pipeline", Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified"}}},
		{ID: 2, Name: "Rentals", Stages: []crmfake.PDStage{{ID: 3, Name: "Viewing"}}}})
	cs, ds := crmtest.Leads(1)
	ds[0].Properties = map[string]string{"title": "T", "pipeline": "Pipeline", "stage": "Qualified"}
	_, dr := deliver(t, a, cs, ds)
	if dr[0].Err != nil {
		t.Fatal(dr[0].Err)
	}
	pdCall(t, srv, http.MethodPatch, "/stages/1", `{"pipeline_id":2}`)
	ds[0].Properties["title"] = "T2"
	_, again := crmtest.Deliver(context.Background(), a, cs, ds, 1)
	var ce *syncd.CRMError
	if !errors.As(again[0].Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != "stage" {
		t.Fatalf("update: %v", again[0].Err)
	}
	if !strings.Contains(log.String(), `"deal_id":"`+dr[0].ID+`"`) {
		t.Fatalf("log does not name deal %s: %s", dr[0].ID, log.String())
	}
}
