package crmfake

import (
	"net/http"
	"time"
)

// hsBatchRead answers POST /crm/v3/objects/{type}/batch/read
// {"idProperty","properties":[…],"inputs":[{"id"}]}: the records found, and
// for those not found an OBJECT_NOT_FOUND error listing their ids (207).
func (s *Server) hsBatchRead(w http.ResponseWriter, r *http.Request) {
	deal, ok := hsKind(w, r)
	if !ok {
		return
	}
	var in struct {
		IDProperty string `json:"idProperty"`
		Inputs     []struct {
			ID string `json:"id"`
		} `json:"inputs"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	if len(in.Inputs) == 0 || len(in.Inputs) > 100 {
		writeJSON(w, http.StatusBadRequest, hubspotErr("VALIDATION_ERROR", "inputs: between 1 and 100"))
		return
	}
	started := time.Now().UTC().Format(time.RFC3339Nano)
	s.mu.Lock()
	results := []map[string]any{}
	var missing []string
	for _, x := range in.Inputs {
		if rc := s.hsFind(deal, in.IDProperty, x.ID); rc != nil {
			results = append(results, hsObject(rc, nil))
		} else {
			missing = append(missing, x.ID)
		}
	}
	s.mu.Unlock()
	out := map[string]any{"status": "COMPLETE", "results": results, "startedAt": started, "completedAt": time.Now().UTC().Format(time.RFC3339Nano)}
	if len(missing) == 0 {
		writeJSON(w, http.StatusOK, out)
		return
	}
	out["numErrors"] = 1
	out["errors"] = []map[string]any{{"status": "error", "category": "OBJECT_NOT_FOUND",
		"message": "Could not get some objects, they may be deleted or not exist.", "context": map[string][]string{"ids": missing}}}
	writeJSON(w, http.StatusMultiStatus, out)
}
