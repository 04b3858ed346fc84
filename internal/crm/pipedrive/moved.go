package pipedrive

import (
	"context"
	"fmt"
	"strconv"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// landed checks where Pipedrive put a deal syncd just created or updated
// (body, answered as id in pipeline got). A deal's pipeline follows its stage, a
// pipeline_id sent with it ignored [pd-sdk], so a stage an admin moved to
// another pipeline since syncd read the stages takes new deals (and
// deals updated with it) there without a refusal. A deal in another pipeline than the mapping's is
// named in the log (its id, for the operator to move it), the stages are
// read again (at most once a minute) so that the deals after it are not
// built with the moved stage, and the deal is a configuration error naming
// the stage: the adapter pauses until `syncd crm check` passes.
func (a *Adapter) landed(ctx context.Context, body map[string]any, id string, got int64) syncd.Result {
	want, ok := body["pipeline_id"].(int64)
	if !ok || got == 0 || got == want {
		return syncd.Result{ID: id}
	}
	stage, _ := body["stage_id"].(int64)
	old := a.schema.Load()
	if old == nil {
		return syncd.Result{ID: id}
	}
	_, _ = a.reread(ctx, old, "")
	sc := a.schema.Load()
	a.opts.Logger.Warn().Str("deal_id", id).Int64("stage_id", stage).Int64("pipeline_id", got).Int64("mapped_pipeline_id", want).
		Msg("pipedrive: a deal syncd wrote went into another pipeline than the mapping's, its stage having been moved there: move the deal in Pipedrive")
	return syncd.Result{ID: id, Err: &syncd.CRMError{Class: syncd.ErrConfig, Code: "STAGE_MOVED", Property: "stage",
		Message: fmt.Sprintf("stage %q is no longer in pipeline %q but in %q (deal %s went there)",
			old.stageName(stage), sc.pipelineName(want), sc.pipelineName(got), id)}}
}

// stageName is a stage's name, or its id when it is not known.
func (sc *schema) stageName(id int64) string {
	for _, s := range sc.stages {
		if s.ID == id {
			return s.Name
		}
	}
	return strconv.FormatInt(id, 10)
}

// pipelineName is a pipeline's name, or its id when it is not known.
func (sc *schema) pipelineName(id int64) string {
	for _, p := range sc.pipelines {
		if p.ID == id {
			return p.Name
		}
	}
	return strconv.FormatInt(id, 10)
}
