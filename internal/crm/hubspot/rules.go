package hubspot

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// objectTypeIDs are the object type ids of the property validations API,
// by the properties API's object name.
var objectTypeIDs = map[string]string{"contacts": "0-1", "deals": "0-3"}

// validationRules is the answer of GET /crm/v3/property-validations/
// {objectTypeId}: the object's properties that have validation rules.
type validationRules struct {
	Results []struct {
		PropertyName string `json:"propertyName"`
		Rules        []struct {
			RuleType      string   `json:"ruleType"`
			RuleArguments []string `json:"ruleArguments"`
		} `json:"propertyValidationRules"`
	} `json:"results"`
}

// checkRules warns of the validation rules an admin set on properties the
// mappings write (Settings > Properties > a property > Rules: digits only,
// a maximum length, ...). HubSpot refuses a value that breaks one, and the
// lead is dead-lettered with HubSpot's words; a rule every lead breaks
// (a phone property taking digits alone, syncd writing +4520123456) would
// refuse them all. syncd cannot judge every rule, so it names them. An
// account whose rules cannot be read (no such API on its plan, a scope the
// token lacks, HubSpot failing) gets no warning: the read is for this
// warning alone.
func (a *Adapter) checkRules(ctx context.Context, specs []syncd.FieldSpec) []syncd.Finding {
	var out []syncd.Finding
	for _, obj := range []string{"contacts", "deals"} {
		written := map[string]syncd.FieldSpec{}
		for _, s := range specs {
			if objectOf(s.Kind) == obj {
				written[s.Name] = s
			}
		}
		if len(written) == 0 {
			continue
		}
		var ans validationRules
		if _, err := a.get(ctx, "property_validations_read", http.MethodGet, "/crm/v3/property-validations/"+objectTypeIDs[obj], nil, &ans); err != nil {
			continue
		}
		for _, p := range ans.Results {
			s, ok := written[p.PropertyName]
			if !ok || len(p.Rules) == 0 {
				continue
			}
			var rules []string
			for _, r := range p.Rules {
				rules = append(rules, strings.TrimSpace(r.RuleType+" "+strings.Join(r.RuleArguments, " ")))
			}
			out = append(out, syncd.Finding{Severity: syncd.SevWarn, Object: obj, Name: s.Name, Property: s.Name,
				Problem: fmt.Sprintf("property %s on %s has validation rules in HubSpot (%s): HubSpot refuses a value that breaks one, "+
					"and that lead is dead-lettered with HubSpot's words", s.Name, obj, strings.Join(rules, "; ")),
				Fix: fmt.Sprintf("make sure what %s writes meets them (syncd map shows a lead's values; phones are written as +4520123456), "+
					"or change the rules in HubSpot (Settings > Properties > %s > Rules)", cmp.Or(s.WhereWritten(), "the mappings"), s.Name)})
		}
	}
	return out
}
