package crmfake

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Pipeline visibility (docs/crm-contracts.md [pd-cl-vis]): for a token of
// a regular user (Options.RegularUser), Pipedrive answers POST /deals with
// 400 for a pipeline_id or stage_id of a pipeline the user may not see
// (PDPipeline.Hidden), and the GET and the update of a deal in such a
// pipeline with 403; its lists leave such deals out. The text of either
// answer is not documented: the fake's is its own. The fake answers an
// update moving a deal into such a pipeline with 400 too, as it does a
// create.

// The fake's error texts for a pipeline_id or stage_id of a pipeline the
// token's user may not see (400), and for a deal in one (403).
const (
	pdHiddenPipelineMsg = "Pipeline is not visible to the user"
	pdHiddenStageMsg    = "Stage is in a pipeline that is not visible to the user"
	pdHiddenDealMsg     = "You do not have permission to access this deal: its pipeline is not visible to the user"
)

// pdHiddenPlace is the 400's text for a deal written with a pipeline or
// stage the token's user may not see, "" for none; s.mu held.
func (s *Server) pdHiddenPlace(in pdDealIn) string {
	if !s.opts.RegularUser {
		return ""
	}
	if in.StageID != nil {
		if p, _ := s.pdStageAt(*in.StageID); p >= 0 && s.hiddenPipeline(s.pd.pipelines[p]) {
			return pdHiddenStageMsg
		}
	}
	if in.PipelineID != nil {
		for _, p := range s.pd.pipelines {
			if p.ID == *in.PipelineID && s.hiddenPipeline(p) {
				return pdHiddenPipelineMsg
			}
		}
	}
	return ""
}

// pdHiddenDeal reports whether d is in a pipeline the token's user may
// not see; s.mu held.
func (s *Server) pdHiddenDeal(d *rec) bool {
	if !s.opts.RegularUser {
		return false
	}
	id, err := strconv.ParseInt(d.props["pipeline_id"], 10, 64)
	if err != nil {
		return false
	}
	for _, p := range s.pd.pipelines {
		if p.ID == id {
			return s.hiddenPipeline(p)
		}
	}
	return false
}

// pdFailHidden answers 403 for a deal the token's user may not see.
func pdFailHidden(w http.ResponseWriter) {
	pdFail(w, http.StatusForbidden, pdHiddenDealMsg)
}

// HidePDPipeline makes the Pipedrive pipeline named name (case ignored)
// one the token's user may not see with Options.RegularUser, as an admin
// restricts it to a visibility group; with none so named, it adds one,
// with the first pipeline's stage names under new ids. It returns the
// pipeline's id.
func (s *Server) HidePDPipeline(name string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps := slices.Clone(s.pd.pipelines)
	for i := range ps {
		if strings.EqualFold(ps[i].Name, name) {
			ps[i].Hidden = true
			s.pd.pipelines = ps
			return ps[i].ID
		}
	}
	var pid, sid int64
	for _, p := range ps {
		pid = max(pid, p.ID)
		for _, st := range p.Stages {
			sid = max(sid, st.ID)
		}
	}
	p := PDPipeline{ID: pid + 1, Name: name, Hidden: true}
	if len(ps) > 0 {
		for _, st := range ps[0].Stages {
			sid++
			p.Stages = append(p.Stages, PDStage{ID: sid, Name: st.Name})
		}
	}
	s.pd.pipelines = append(ps, p)
	return p.ID
}
