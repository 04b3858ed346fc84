package mapping_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
)

// TestFieldTypeTheCRMHasNot: a misspelt `type:` in `fields:` (nubmer) or
// another CRM's (string in a Pipedrive file) loaded, so `syncd validate`
// said ok and `crm setup -dry-run` "would create nubmer", and `crm setup`
// then stopped half-way on the CRM's 400 ("name, label, type, fieldType
// and groupName are required"); now loading refuses it with its line, the
// target's types and the one probably meant. The dryrun target has none.
func TestFieldTypeTheCRMHasNot(t *testing.T) {
	file := func(typ string) string {
		return "fields:\n  deal:\n    syncd_budget: {type: " + typ + "}\n" +
			"rules:\n  - name: r\n    source: lokalebasen\n    event: enquiry_created\n" +
			"    contact:\n      email: payload.client.email\n    deal:\n      dealname: {const: x}\n      title: {const: x}\n"
	}
	for _, c := range []struct{ target, typ, want string }{
		{"hubspot", "nubmer", `t.yaml:3: fields.deal.syncd_budget.type: "nubmer" is not a hubspot property type (string, number, date, datetime, enumeration, bool); did you mean "number"?`},
		{"hubspot", "Number", `t.yaml:3: fields.deal.syncd_budget.type: "Number" is not a hubspot property type (string, number, date, datetime, enumeration, bool); did you mean "number"?`},
		{"pipedrive", "string", `t.yaml:3: fields.deal.syncd_budget.type: "string" is not a pipedrive field type (`},
		{"pipedrive", "monetry", `did you mean "monetary"?`},
	} {
		_, err := mapping.Parse("t.yaml", []byte(file(c.typ)), c.target)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s type %s: got %v, want %s", c.target, c.typ, err, c.want)
		}
	}
	for _, c := range []struct{ target, typ string }{
		{"hubspot", "number"}, {"hubspot", "enumeration"}, {"pipedrive", "monetary"}, {"pipedrive", "varchar"},
		{"dryrun", "nubmer"},
	} {
		if _, err := mapping.Parse("t.yaml", []byte(file(c.typ)), c.target); err != nil {
			t.Errorf("%s type %s: %v", c.target, c.typ, err)
		}
	}
}
