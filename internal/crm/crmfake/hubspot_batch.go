package crmfake

import (
	"fmt"
	"maps"
	"net/http"
	"strings"
	"time"
)

type hsInput struct {
	ID         string            `json:"id"`
	IDProperty string            `json:"idProperty"`
	Properties map[string]string `json:"properties"`
	TraceID    string            `json:"objectWriteTraceId,omitempty"`
}

// hsBatchUpsert follows POST /crm/v3/objects/{type}/batch/upsert: at most
// 100 inputs, no id twice, one invalid input fails the whole batch (unless
// the partial fault asks for a 207).
func (s *Server) hsBatchUpsert(w http.ResponseWriter, r *http.Request) {
	deal, ok := hsKind(w, r)
	if !ok {
		return
	}
	var in struct {
		Inputs []hsInput `json:"inputs"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	if st, body := s.hsCheckBatch(deal, in.Inputs); st != 0 {
		writeJSON(w, st, body)
		return
	}
	partial := partialOf(r)
	inputs, failed := in.Inputs, []hsInput(nil)
	if partial != nil && len(inputs) > 1 {
		inputs, failed = inputs[:len(inputs)-1], inputs[len(inputs)-1:]
	}
	started := time.Now().UTC().Format(time.RFC3339Nano)
	s.mu.Lock()
	results := make([]map[string]any, 0, len(inputs))
	for _, inp := range inputs {
		props := map[string]string{}
		for k, v := range inp.Properties {
			props[k] = v
		}
		props[inp.IDProperty] = inp.ID
		existing := s.hsFind(deal, inp.IDProperty, inp.ID)
		s.hsKeepPrimary(existing, inp, props)
		isNew := existing == nil
		results = append(results, s.hsBatchResult(s.hsWrite(deal, existing, props), inp, isNew))
	}
	// HubSpot does not promise result order: shuffle so clients match by id.
	s.rng.Shuffle(len(results), func(i, j int) { results[i], results[j] = results[j], results[i] })
	s.mu.Unlock()
	out := map[string]any{"status": "COMPLETE", "results": results, "startedAt": started, "completedAt": time.Now().UTC().Format(time.RFC3339Nano)}
	if len(failed) == 0 || partial.Action == ActOmit {
		writeJSON(w, http.StatusOK, out)
		return
	}
	errs := make([]map[string]any, 0, len(failed))
	for _, f := range failed {
		errs = append(errs, partialError(partial, "Property values were not valid for "+f.ID, hsErrContext(f)))
	}
	out["numErrors"], out["errors"] = len(errs), errs
	writeJSON(w, http.StatusMultiStatus, out)
}

// hsCheckBatch validates a batch as a whole.
func (s *Server) hsCheckBatch(deal bool, inputs []hsInput) (int, map[string]any) {
	if len(inputs) == 0 {
		return 400, hubspotErr("VALIDATION_ERROR", "inputs must not be empty")
	}
	if len(inputs) > 100 {
		return 400, hubspotErr("VALIDATION_ERROR", fmt.Sprintf("Batch input limit exceeded: %d inputs, at most 100", len(inputs)))
	}
	seen := map[string]bool{}
	var dups []string
	for _, in := range inputs {
		// Any property with unique values of the account's schema will do.
		if st, body := s.hsIDPropertyInvalid(deal, in.IDProperty); st != 0 {
			return st, body
		}
		if (deal && in.IDProperty == "email") || in.ID == "" {
			return 400, hubspotErr("VALIDATION_ERROR", "idProperty "+in.IDProperty+" is not a unique identifier property")
		}
		id := in.ID
		if in.IDProperty == "email" {
			id = strings.ToLower(id)
		}
		if seen[id] {
			dups = append(dups, in.ID)
		}
		seen[id] = true
		props := map[string]string{in.IDProperty: in.ID}
		for k, v := range in.Properties {
			props[k] = v
		}
		s.mu.Lock()
		old := s.hsFind(deal, in.IDProperty, in.ID)
		s.mu.Unlock()
		if st, body := s.hsValidate(deal, props, old == nil); st != 0 {
			return st, body
		}
		var was map[string]string
		s.mu.Lock()
		if old != nil {
			was = old.props
		}
		st, body := s.hsStageOutside(deal, props, was)
		s.mu.Unlock()
		if st != 0 {
			return st, body
		}
	}
	if len(dups) > 0 {
		return 400, hubspotErr("VALIDATION_ERROR", "Duplicate IDs found in batch input: ["+strings.Join(dups, ", ")+"]. IDs must be unique")
	}
	return 0, nil
}

// hsSearch supports EQ filters on any property, ORed across groups and
// ANDed within one; records younger than SearchLag are not found.
func (s *Server) hsSearch(w http.ResponseWriter, r *http.Request) {
	deal, ok := hsKind(w, r)
	if !ok {
		return
	}
	var in struct {
		FilterGroups []struct {
			Filters []struct {
				PropertyName string `json:"propertyName"`
				Operator     string `json:"operator"`
				Value        string `json:"value"`
			} `json:"filters"`
		} `json:"filterGroups"`
		Limit int `json:"limit"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	if in.Limit <= 0 || in.Limit > 200 {
		in.Limit = 10
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := s.st.contacts
	if deal {
		recs = s.st.deals
	}
	now := s.opts.Now()
	if !deal && len(s.st.unsearched) > 0 {
		// Deleted contacts the search index has not dropped yet.
		recs = maps.Clone(recs)
		for id, d := range s.st.unsearched {
			if now.Sub(d.at) < s.opts.SearchLag {
				recs[id] = d.rec
			}
		}
	}
	results := []map[string]any{}
	total := 0
	for _, id := range sortedIDs(recs) {
		rc := recs[id]
		if now.Sub(rc.created) < s.opts.SearchLag {
			continue
		}
		match := len(in.FilterGroups) == 0
		for _, g := range in.FilterGroups {
			all := true
			for _, f := range g.Filters {
				v := rc.props[f.PropertyName]
				if f.PropertyName == "hs_object_id" {
					v = idStr(rc.id)
				}
				if f.Operator != "EQ" || !strings.EqualFold(v, f.Value) {
					all = false
				}
			}
			match = match || all
		}
		if match {
			total++
			if len(results) < in.Limit {
				results = append(results, hsObject(rc, nil))
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "results": results})
}
