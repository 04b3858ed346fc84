package pipedrive_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestStageDeletedWhileRunningIsTheAccounts: the mappings write the stage
// "New enquiry" as a constant, and an admin deletes it in Pipedrive while
// the daemon runs. The adapter read the stages again and said `no stage
// named "New enquiry"` (FIELD_UNKNOWN), which the syncer, after a check
// had passed for it, dead-letters as a property the mappings no longer
// write. It is now STAGE_GONE, an account change, saying where the
// mappings write it, by name or by id (a 400 to stage_id, the stages read
// again no longer holding it, was a dead letter each). A stage from the
// payload that names none is the lead's own value (ErrPermanent): a dead
// letter of its own, where it paused every lead's sync.
func TestStageDeletedWhileRunningIsTheAccounts(t *testing.T) {
	t.Parallel()
	pipes := func(deleted bool) []crmfake.PDPipeline {
		return []crmfake.PDPipeline{
			{ID: 1, Name: "Pipeline", Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified"}}},
			{ID: 2, Name: "Lettings", Stages: []crmfake.PDStage{{ID: 7, Name: "New enquiry", Deleted: deleted}, {ID: 8, Name: "Viewing"}}},
		}
	}
	for _, tc := range []struct {
		name  string
		spec  syncd.FieldSpec
		props map[string]string
		code  string
		class syncd.ErrClass
	}{
		{"constant", syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "stage", Values: []string{"New enquiry"}, Where: "eaf.yaml:31"},
			map[string]string{"title": "T", "pipeline": "Lettings", "stage": "New enquiry"}, "STAGE_GONE", syncd.ErrConfig},
		{"constant id", syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "stage_id", Values: []string{"7"}, Where: "eaf.yaml:31"},
			map[string]string{"title": "T", "stage_id": "7"}, "STAGE_GONE", syncd.ErrConfig},
		{"payload", syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "stage", Dynamic: true, Where: "eaf.yaml:31"},
			map[string]string{"title": "T", "pipeline": "Lettings", "stage": "New enquiry"}, "FIELD_UNKNOWN", syncd.ErrPermanent},
		// The pause said to write another stage; the operator wrote Viewing
		// and reloaded: a lead mapped before still carries the deleted one.
		{"mapped before", syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "stage", Values: []string{"Viewing"}, Where: "eaf.yaml:31"},
			map[string]string{"title": "T", "pipeline": "Lettings", "stage": "New enquiry"}, "OPTION_NOT_WRITTEN", syncd.ErrConfig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var offset atomic.Int64
			now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
			srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{Now: now, Fields: []syncd.FieldSpec{tc.spec}})
			srv.SetPDPipelines(pipes(false))
			cs, ds := crmtest.Leads(2)
			for i := range ds {
				ds[i].Properties = tc.props
			}
			if cr, dr := deliver(t, a, cs[:1], ds[:1]); cr[0].Err != nil || dr[0].Err != nil {
				t.Fatalf("first lead: %v / %v", cr[0].Err, dr[0].Err)
			}
			srv.SetPDPipelines(pipes(true))
			offset.Store(int64(2 * time.Minute)) // the stages were read over a minute ago
			cr, dr := crmtest.Deliver(context.Background(), a, cs[1:], ds[1:], 1)
			var ce *syncd.CRMError
			if cr[0].Err != nil || !errors.As(dr[0].Err, &ce) || ce.Class != tc.class || ce.Code != tc.code {
				t.Fatalf("second lead: %v / %v; want a %s error %s", cr[0].Err, dr[0].Err, tc.class, tc.code)
			}
			t.Logf("%v", ce)
			said := map[string]string{"constant": `the stage "New enquiry" that eaf.yaml:31 writes is no longer in Pipedrive`,
				"constant id":   `the stage with id 7 that eaf.yaml:31 writes is no longer in Pipedrive`,
				"mapped before": `no stage "New enquiry" in Pipedrive, which the mappings as loaded no longer write (they write Viewing: eaf.yaml:31)`}[tc.name]
			if !strings.Contains(ce.Message, said) {
				t.Errorf("the error does not name the stage and where it is written: %s", ce.Message)
			}
		})
	}
}
