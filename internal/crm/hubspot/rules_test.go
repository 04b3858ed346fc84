package hubspot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCheckWarnsOfValidationRulesOnPropertiesWritten: an account on day
// one has property validation rules (Settings > Properties > a property >
// Rules): its phone property takes digits alone, say. HubSpot refuses a
// value that breaks a rule, so every lead whose phone syncd writes as
// +4520123456 would be dead-lettered, one by one, and `syncd crm check`
// said nothing of the rules. Now it warns of each rule on a property the
// mappings write, naming it and the rule; a rule on a property they do
// not write is none of its business, and an account whose rules cannot be
// read (an older plan, a scope) gets no warning either.
func TestCheckWarnsOfValidationRulesOnPropertiesWritten(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	ctx := context.Background()
	if _, err := a.Setup(ctx, specs(), false); err != nil {
		t.Fatal(err)
	}
	sp := append(specs(), syncd.FieldSpec{Kind: syncd.RecordContact, Name: "phone", Dynamic: true, Where: "hubspot/eaf.yaml:20"})
	if fs, _ := a.Check(ctx, sp); len(warnings(fs)) != 0 {
		t.Fatalf("warnings without rules: %v", warnings(fs))
	}
	srv.SetValidationRules("contacts", "phone", []crmfake.ValidationRule{{RuleType: "ALPHANUMERIC", RuleArguments: []string{"NUMERIC_ONLY"}}})
	srv.SetValidationRules("contacts", "zip", []crmfake.ValidationRule{{RuleType: "ALPHANUMERIC", RuleArguments: []string{"NUMERIC_ONLY"}}})
	srv.SetValidationRules("deals", "syncd_source", []crmfake.ValidationRule{{RuleType: "MAX_LENGTH", RuleArguments: []string{"2"}}})
	fs, err := a.Check(ctx, sp)
	if err != nil || syncd.Failed(fs) {
		t.Fatalf("check: %v %v", problems(fs), err)
	}
	w := warnings(fs)
	if len(w) != 2 || !strings.Contains(w["phone"], "ALPHANUMERIC NUMERIC_ONLY") || !strings.Contains(w["phone"], "hubspot/eaf.yaml:20") ||
		!strings.Contains(w["syncd_source"], "MAX_LENGTH 2") {
		t.Fatalf("warnings with rules on phone, zip and syncd_source: %v", w)
	}
	srv.AddFault(crmfake.Fault{Path: "/crm/v3/property-validations/**", Action: crmfake.ActError, Status: 403})
	if fs, _ := a.Check(ctx, sp); len(warnings(fs)) != 0 || syncd.Failed(fs) {
		t.Fatalf("the rules' read refused: %v / %v", warnings(fs), problems(fs))
	}
}

func warnings(fs []syncd.Finding) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		if f.Severity == syncd.SevWarn {
			out[f.Name] = f.Problem + " | " + f.Fix
		}
	}
	return out
}
