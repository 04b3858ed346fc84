package crmfake

import (
	"net/http"
	"slices"
)

// ValidationRule is a HubSpot property validation rule (Settings >
// Properties > a property > Rules), as the property validations API lists
// it: its ruleType (ALPHANUMERIC, MAX_LENGTH, ...) and ruleArguments
// (["NUMERIC_ONLY"], ["20"]). The fake lists the rules; it does not
// enforce them on writes (how HubSpot refuses a value that breaks one is
// unconfirmed: docs/crm-contracts.md).
type ValidationRule struct {
	RuleType      string   `json:"ruleType"`
	RuleArguments []string `json:"ruleArguments"`
}

// SetValidationRules sets the validation rules of property on object
// ("contacts" or "deals"); none removes them.
func (s *Server) SetValidationRules(object, property string, rules []ValidationRule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hsAcct.rules == nil {
		s.hsAcct.rules = map[string]map[string][]ValidationRule{}
	}
	if s.hsAcct.rules[object] == nil {
		s.hsAcct.rules[object] = map[string][]ValidationRule{}
	}
	if len(rules) == 0 {
		delete(s.hsAcct.rules[object], property)
		return
	}
	s.hsAcct.rules[object][property] = slices.Clone(rules)
}

// hsValidationRules follows GET /crm/v3/property-validations/{objectTypeId}:
// {"results":[{"propertyName","propertyValidationRules":[{"ruleType",
// "ruleArguments"}]}]}, the properties of the object that have rules.
func (s *Server) hsValidationRules(w http.ResponseWriter, r *http.Request) {
	obj, ok := hsObjectName(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.hsAcct.rules[obj]))
	for n := range s.hsAcct.rules[obj] {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]map[string]any, 0, len(names))
	for _, n := range names {
		out = append(out, map[string]any{"propertyName": n, "propertyValidationRules": s.hsAcct.rules[obj][n]})
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
}
