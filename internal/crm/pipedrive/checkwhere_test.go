package pipedrive_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
)

// TestFieldDeclaredAndWrittenNamesEveryLineToChange: fields declared in
// fields: and written by a rule under a name two letters off a field's
// (syncd compnay), under the name a person sees of Pipedrive's own field
// (Expected close date), or with a declared option deleted in Pipedrive
// since setup (extra). crm check's and crm setup's fixes named the
// declaration's line alone, where writing the right name left the rule
// writing the wrong one (and crm check failing on it again). Each names
// the declaration and the rule.
func TestFieldDeclaredAndWrittenNamesEveryLineToChange(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	srv.AddField("person", crmfake.Field{Name: "syncd company", Type: "varchar"})
	srv.AddField("deal", crmfake.Field{Name: "syncd enquiry type", Type: "enum", Options: []crmfake.PDOption{{ID: 7, Label: "client"}}})
	specs := crmtest.FieldsOf(t, pipedrive.Name, `fields:
  contact:
    syncd compnay: {type: varchar}
  deal:
    Expected close date: {type: date}
    syncd enquiry type: {type: enum, options: [client, extra]}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      name: payload.client.name
      email: payload.client.email
      syncd compnay: payload.client.company
    deal:
      title: {const: Enquiry}
      Expected close date: {const: "2026-01-31"}
      syncd enquiry type: payload.enquiry.type
`)
	ctx := context.Background()
	fs, err := a.Check(ctx, specs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"syncd compnay":       `did you mean "syncd company", a person field? write it so in m.yaml:3, m.yaml:14;`,
		"Expected close date": "write it by its API name, expected_close_date, in m.yaml:5, m.yaml:17",
		"syncd enquiry type":  "in the rules and the fields declaration (m.yaml:6, m.yaml:18)",
	}
	p := errorsOf(fs)
	for name, w := range want {
		if !strings.Contains(p[name], w) {
			t.Errorf("check of %s: %q, want %q", name, p[name], w)
		}
	}
	acts, err := a.Setup(ctx, specs, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range acts {
		if w, ok := want[act.Name]; ok && act.Name != "syncd enquiry type" && !strings.Contains(act.Detail, w) {
			t.Errorf("setup of %s: %s %q, want %q", act.Name, act.What, act.Detail, w)
		}
	}
}

// TestPayloadIntoEnumDeclaredWithoutOptionsNamesTheRule: an enum field
// declared without its options ({type: enum}) and filled from the payload:
// the warning that the payload's values may be none of its options said
// the declaration's line "writes values from the payload", and to map them
// there. It names the rule's line.
func TestPayloadIntoEnumDeclaredWithoutOptionsNamesTheRule(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	srv.AddField("deal", crmfake.Field{Name: "syncd enquiry type", Type: "enum", Options: []crmfake.PDOption{{ID: 7, Label: "client"}}})
	fs := crmtest.CheckMappings(t, a, pipedrive.Name, `fields:
  deal:
    syncd enquiry type: {type: enum}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      title: {const: Enquiry}
      syncd enquiry type: payload.enquiry.type
`)
	got := crmtest.FindingsOf(fs, "syncd enquiry type")
	if len(got) != 1 || !strings.HasPrefix(got[0], "warning: m.yaml:12 writes values from the payload") || !strings.Contains(got[0], "map them to its options in m.yaml:12") {
		t.Errorf("findings of syncd enquiry type: %q, want one warning naming the rule's line m.yaml:12", got)
	}
}

// TestDeclaredValueIsWarnedOfAtTheRuleThatWritesIt: a deal's value
// declared in fields: and written without a currency. The warning said the
// declaration's line "writes a deal value", and to write the currency
// there; it names the rule's line.
func TestDeclaredValueIsWarnedOfAtTheRuleThatWritesIt(t *testing.T) {
	t.Parallel()
	_, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	fs := crmtest.CheckMappings(t, a, pipedrive.Name, `fields:
  deal:
    value: {type: double}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      title: {const: Enquiry}
      value: {const: 450000}
`)
	got := crmtest.FindingsOf(fs, "value")
	if len(got) != 1 || !strings.HasPrefix(got[0], "warning: m.yaml:12 writes a deal value without a currency") || !strings.Contains(got[0], "currency too in m.yaml:12") {
		t.Errorf("findings of value: %q, want one warning naming the rule's line m.yaml:12", got)
	}
}

// TestTextFieldTooSmallNamesEveryLineOfItsName: a field declared large
// text (text) that is a plain one (varchar) in Pipedrive. The fix, to
// write another field's name, named the declaration's line alone, which
// left the rule writing this one's; it names both.
func TestTextFieldTooSmallNamesEveryLineOfItsName(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	srv.AddField("deal", crmfake.Field{Name: "syncd comment", Type: "varchar"})
	fs := crmtest.CheckMappings(t, a, pipedrive.Name, `fields:
  deal:
    syncd comment: {type: text}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      title: {const: Enquiry}
      syncd comment: payload.comment
`)
	got := crmtest.FindingsOf(fs, "syncd comment")
	if len(got) != 1 || !strings.Contains(got[0], "field in Pipedrive and write its name in m.yaml:3, m.yaml:12, or declare varchar in m.yaml:3 to keep this one") {
		t.Errorf("findings of syncd comment: %q, want one naming both lines for its name, the declaration's for its type", got)
	}
}

// TestPipelineNotFoundNamesEveryRuleWritingIt: two rules write the
// pipeline "Salg" and the stage "Vundet", which the account lacks (the
// shipped mappings write the pipeline in each file). crm check's fix
// named the first rule's line alone: written right there, the check
// failed again on the other. It names each line that writes the name.
func TestPipelineNotFoundNamesEveryRuleWritingIt(t *testing.T) {
	t.Parallel()
	_, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	fs := crmtest.CheckMappings(t, a, pipedrive.Name, `rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      title: {const: Enquiry}
      pipeline: {const: Salg}
      stage: {const: Vundet}
  - name: eaf
    source: eaf
    event: email_lead
    contact:
      email: contact_email
    deal:
      title: {const: Lead}
      pipeline: {const: Salg}
      stage: {const: Vundet}
`)
	p := errorsOf(fs)
	for _, name := range []string{"pipeline", "stage"} {
		if !strings.Contains(p[name], "m.yaml:9, m.yaml:18") && !strings.Contains(p[name], "m.yaml:10, m.yaml:19") {
			t.Errorf("check of %s: %q, want the fix to name both rules' lines", name, p[name])
		}
	}
}
