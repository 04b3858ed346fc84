package crmfake

import (
	"net/http"
	"time"
)

// hsBatchRead answers POST /crm/v3/objects/{type}/batch/read
// {"idProperty","properties":[…],"inputs":[{"id"}]}: the records found, and
// for those not found an OBJECT_NOT_FOUND error listing their ids (207). A
// partial fault leaves the last of two or more inputs unread, its error of
// the fault's category naming it.
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
	partial := partialOf(r)
	if partial != nil && partial.Action == ActOmit {
		partial = nil // the omit fault is for writes
	}
	s.mu.Lock()
	results, errs := []map[string]any{}, []map[string]any{}
	var missing []string
	for i, x := range in.Inputs {
		if partial != nil && len(in.Inputs) > 1 && i == len(in.Inputs)-1 {
			errs = append(errs, partialError(partial, "partial fault: "+x.ID+" not read", map[string][]string{"ids": {x.ID}}))
			continue
		}
		if rc := s.hsFind(deal, in.IDProperty, x.ID); rc != nil {
			results = append(results, hsObject(rc, nil))
		} else {
			missing = append(missing, x.ID)
		}
	}
	s.mu.Unlock()
	out := map[string]any{"status": "COMPLETE", "results": results, "startedAt": started, "completedAt": time.Now().UTC().Format(time.RFC3339Nano)}
	if len(missing) > 0 {
		errs = append(errs, map[string]any{"status": "error", "category": "OBJECT_NOT_FOUND",
			"message": "Could not get some objects, they may be deleted or not exist.", "context": map[string][]string{"ids": missing}})
	}
	if len(errs) == 0 {
		writeJSON(w, http.StatusOK, out)
		return
	}
	out["numErrors"], out["errors"] = len(errs), errs
	writeJSON(w, http.StatusMultiStatus, out)
}
