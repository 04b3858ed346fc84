package mapping_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
)

// TestAMisspeltKeyIsNamedWithTheOneMeant: a key of a property's value or
// of a fields: declaration misspelt (cost for const, exr for expr, tpye
// for type), or written with no blank after its colon inside {...}
// ({type:string}, which YAML reads as one key "type:string"), was refused
// as an unknown key with the list of keys alone; the key meant is now
// named, and the missing blank.
func TestAMisspeltKeyIsNamedWithTheOneMeant(t *testing.T) {
	doc := func(fields, prop string) string {
		return "fields:\n  deal:\n    syncd_x: " + fields + "\nrules:\n  - name: r\n    source: eaf\n    event: email_lead\n" +
			"    contact:\n      email: contact_email\n    deal:\n      dealname: eaf_reference\n      pipeline: " + prop + "\n"
	}
	for _, c := range []struct{ fields, prop, want string }{
		{"{type: string}", "{cost: default}", `t.yaml:12: rule "r": deal.pipeline: unknown key "cost" (did you mean const?)`},
		{"{type: string}", "{exr: 'eaf_type'}", `t.yaml:12: rule "r": deal.pipeline: unknown key "exr" (did you mean expr?)`},
		{"{type: string}", "{const:default}", `t.yaml:12: rule "r": deal.pipeline: unknown key "const:default" ` +
			`(a colon needs a blank after it, "const: ", or YAML reads the two as one word)`},
		{"{tpye: string}", "{const: default}", `t.yaml:3: fields.deal.syncd_x: unknown key "tpye" (did you mean type?)`},
		{"{type:string}", "{const: default}", `t.yaml:3: fields.deal.syncd_x: unknown key "type:string" ` +
			`(a colon needs a blank after it, "type: ", or YAML reads the two as one word)`},
		{"{type: string}", "{value: default}", `t.yaml:12: rule "r": deal.pipeline: unknown key "value" (want path, const, expr or write)`},
	} {
		_, err := mapping.Parse("t.yaml", []byte(doc(c.fields, c.prop)), "hubspot")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s:\ngot  %v\nwant %s", c.fields, c.prop, err, c.want)
		}
	}
}
