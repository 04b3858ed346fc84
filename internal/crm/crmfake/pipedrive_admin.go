package crmfake

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// routesPipelineAdmin serves the admin endpoints that change a Pipedrive
// account's pipelines while the fake runs, as an admin does in Pipedrive
// after syncd was set up:
//
//	GET    /__admin/pipelines                  the pipelines, hidden ones too
//	POST   /__admin/pipelines/{pipeline}/hide  hide it from a regular user
//	POST   /__admin/pipelines/{pipeline}/show  show it again
//	DELETE /__admin/pipelines/{pipeline}       delete it, with its stages
//
// {pipeline} is a pipeline's name (case ignored) or id. A fake of HubSpot
// answers them 400; a pipeline it does not have, 404.
func (s *Server) routesPipelineAdmin(m *http.ServeMux) {
	m.HandleFunc("GET /__admin/pipelines", func(w http.ResponseWriter, r *http.Request) {
		if !s.pipedriveAdmin(w) {
			return
		}
		s.mu.Lock()
		out := []map[string]any{}
		for _, p := range s.pd.pipelines {
			out = append(out, s.pipelineSaid(p))
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
	})
	for _, hide := range []bool{true, false} {
		verb := "show"
		if hide {
			verb = "hide"
		}
		m.HandleFunc("POST /__admin/pipelines/{pipeline}/"+verb, func(w http.ResponseWriter, r *http.Request) {
			s.changePipeline(w, r.PathValue("pipeline"), func(ps []PDPipeline, i int) []PDPipeline {
				ps[i].Hidden = hide
				return ps
			})
		})
	}
	m.HandleFunc("DELETE /__admin/pipelines/{pipeline}", func(w http.ResponseWriter, r *http.Request) {
		s.changePipeline(w, r.PathValue("pipeline"), func(ps []PDPipeline, i int) []PDPipeline {
			return slices.Delete(ps, i, i+1)
		})
	})
}

// pipedriveAdmin answers 400 and reports false when the fake is not
// Pipedrive's.
func (s *Server) pipedriveAdmin(w http.ResponseWriter) bool {
	if s.opts.Kind != KindPipedrive {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "pipelines are a Pipedrive account's: start the fake with -kind pipedrive"})
		return false
	}
	return true
}

// changePipeline applies change to a copy of the pipelines, at the one
// named or numbered ref, and answers it as it was changed (404 for none).
func (s *Server) changePipeline(w http.ResponseWriter, ref string, change func(ps []PDPipeline, i int) []PDPipeline) {
	if !s.pipedriveAdmin(w) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ps := slices.Clone(s.pd.pipelines)
	i := slices.IndexFunc(ps, func(p PDPipeline) bool {
		return strings.EqualFold(p.Name, strings.TrimSpace(ref)) || strconv.FormatInt(p.ID, 10) == ref
	})
	if i < 0 {
		names := make([]string, 0, len(ps))
		for _, p := range ps {
			names = append(names, strconv.Quote(p.Name))
		}
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no pipeline named or numbered " + strconv.Quote(ref) +
			"; the account has " + strings.Join(names, ", ") + " (GET /__admin/pipelines lists them)"})
		return
	}
	p := ps[i]
	s.pd.pipelines = change(ps, i)
	if i < len(s.pd.pipelines) && s.pd.pipelines[i].ID == p.ID {
		writeJSON(w, http.StatusOK, s.pipelineSaid(s.pd.pipelines[i]))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": p.ID, "name": p.Name, "deleted": true})
}

// pipelineSaid is how the admin endpoints show p; s.mu held.
func (s *Server) pipelineSaid(p PDPipeline) map[string]any {
	out := map[string]any{"id": p.ID, "name": p.Name, "hidden": p.Hidden, "stages": len(p.Stages)}
	if p.Hidden && !s.opts.RegularUser {
		out["note"] = "hidden from regular users only: the token, an admin's, sees it (start the fake with -regular-user)"
	}
	return out
}
