package crmfake

import (
	"net/http"
	"slices"
	"strconv"
)

// pdUpdateStage answers PATCH /api/v2/stages/{id} as Pipedrive does for a
// stage's name and pipeline_id ("The ID of the pipeline to add stage to"
// [pd-sdk UpdateStageRequest]): a pipeline_id moves the stage, and the
// deals created with it from then on, to that pipeline.
func (s *Server) pdUpdateStage(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name       *string `json:"name"`
		PipelineID *int64  `json:"pipeline_id"`
	}
	if !pdDecode(w, r, &in) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	from, i := s.pdStageAt(id)
	if from < 0 {
		pdFail(w, http.StatusNotFound, "Stage not found")
		return
	}
	st := s.pd.pipelines[from].Stages[i]
	if in.Name != nil {
		st.Name = *in.Name
	}
	to := from
	if in.PipelineID != nil {
		if to = slices.IndexFunc(s.pd.pipelines, func(p PDPipeline) bool { return p.ID == *in.PipelineID }); to < 0 {
			pdFail(w, http.StatusBadRequest, "Pipeline not found")
			return
		}
	}
	ps := s.pd.pipelines
	ps[from].Stages = slices.Delete(slices.Clone(ps[from].Stages), i, i+1)
	ps[to].Stages = append(slices.Clone(ps[to].Stages), st)
	pdOK(w, map[string]any{"id": st.ID, "name": st.Name, "pipeline_id": ps[to].ID, "is_deleted": st.Deleted,
		"order_nr": len(ps[to].Stages), "deal_probability": 100, "is_deal_rot_enabled": false, "days_to_rotten": nil})
}

// pdStageAt finds a stage: its pipeline's index and its own, or -1; s.mu
// held.
func (s *Server) pdStageAt(id int64) (pipeline, stage int) {
	for p, pl := range s.pd.pipelines {
		if i := slices.IndexFunc(pl.Stages, func(st PDStage) bool { return st.ID == id }); i >= 0 {
			return p, i
		}
	}
	return -1, -1
}

// pdPlace sets a deal's pipeline from its stage, as Pipedrive does: "a
// pipeline will be assigned automatically based on the stage_id", a
// pipeline_id sent with it ignored [pd-sdk NewDealParameters]; a stage
// the pipelines do not hold leaves pipeline_id as sent. s.mu held.
func (s *Server) pdPlace(in *pdDealIn) {
	if in.StageID == nil {
		return
	}
	if p, _ := s.pdStageAt(*in.StageID); p >= 0 {
		id := s.pd.pipelines[p].ID
		in.PipelineID = &id
	}
}

// pdDeleteStage answers DELETE /api/v2/stages/{id}, an admin deleting a
// stage: Pipedrive marks it deleted ({"id"} answered [pd-sdk
// DeleteStageResponse]); the stages list shows it with is_deleted, and a
// deal written with it is refused (with StrictSchema).
func (s *Server) pdDeleteStage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	p, i := s.pdStageAt(id)
	if p < 0 || s.pd.pipelines[p].Stages[i].Deleted {
		pdFail(w, http.StatusNotFound, "Stage not found")
		return
	}
	stages := slices.Clone(s.pd.pipelines[p].Stages)
	stages[i].Deleted = true
	s.pd.pipelines[p].Stages = stages
	pdOK(w, map[string]any{"id": id})
}
