package crmfake

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// routesAdmin serves the test endpoints; they need no token and are not
// rate limited.
//
//	POST   /__admin/reset     forget records, faults, log and windows
//	GET    /__admin/state     State as JSON
//	GET    /__admin/count     {"contacts": N, "deals": N}, cheap enough to poll
//	GET    /__admin/requests  the request log
//	GET    /__admin/faults    the fault rules and their counters
//	POST   /__admin/faults    add a Fault, or a JSON array of them
//	DELETE /__admin/faults    remove every fault rule
//
// and, of a Pipedrive account, /__admin/pipelines (routesPipelineAdmin).
func (s *Server) routesAdmin(m *http.ServeMux) {
	s.routesPipelineAdmin(m)
	s.routesEdit(m) // POST /__admin/edit/{contacts|deals}/{id}: a person's edit (multivalue.go)
	m.HandleFunc("POST /__admin/reset", func(w http.ResponseWriter, r *http.Request) {
		s.Reset()
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	m.HandleFunc("GET /__admin/state", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.State())
	})
	m.HandleFunc("GET /__admin/count", func(w http.ResponseWriter, r *http.Request) {
		c, d := s.Count()
		writeJSON(w, http.StatusOK, map[string]int{"contacts": c, "deals": d})
	})
	m.HandleFunc("GET /__admin/requests", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Requests())
	})
	m.HandleFunc("GET /__admin/faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Faults())
	})
	m.HandleFunc("DELETE /__admin/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	m.HandleFunc("POST /__admin/faults", func(w http.ResponseWriter, r *http.Request) {
		var raw json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		var list []Fault
		if len(raw) > 0 && raw[0] == '[' {
			if err := json.Unmarshal(raw, &list); err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
				return
			}
		} else {
			var f Fault
			if err := json.Unmarshal(raw, &f); err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
				return
			}
			list = []Fault{f}
		}
		for i, f := range list { // none added unless all are right
			if err := checkAction(f.Action); err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("fault %d: %v", i+1, err)})
				return
			}
		}
		for _, f := range list {
			s.AddFault(f)
		}
		writeJSON(w, http.StatusOK, map[string]int{"added": len(list)})
	})
}
