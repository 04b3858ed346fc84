package mapping_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

func TestFieldsListsWrittenPropertiesAndDeclarations(t *testing.T) {
	src := `
fields:
  deal:
    syncd_lead_id: {type: string, unique: true, label: "Lead id"}
    syncd_budget: {type: number}
rules:
  - name: r
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
      lifecyclestage: {const: lead}
    deal:
      dealname: {const: x}
      dealstage: {expr: 'payload.enquiry.type == "extra" ? "appointmentscheduled" : "qualifiedtobuy"'}
      syncd_lead_id: {expr: 'syncd.lead_id'}
`
	rules, err := mapping.Parse("t.yaml", []byte(src), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]syncd.FieldSpec{}
	for _, f := range rules.Fields() {
		got[string(f.Kind)+"."+f.Name] = f
	}
	if f := got["deal.dealstage"]; f.Dynamic || strings.Join(f.Values, ",") != "appointmentscheduled,qualifiedtobuy" {
		t.Fatalf("dealstage %+v", f)
	}
	if f := got["deal.dealstage"]; f.WhereOf("qualifiedtobuy") != "t.yaml:15" || f.WhereOf("nope") != f.Where {
		t.Fatalf("where a stage is written: %+v", f)
	}
	if f := got["contact.lifecyclestage"]; f.Dynamic || strings.Join(f.Values, ",") != "lead" || f.WhereOf("lead") != "t.yaml:12" {
		t.Fatalf("lifecyclestage %+v", f)
	}
	if f := got["deal.syncd_lead_id"]; !f.Unique || f.Type != "string" || f.Label != "Lead id" || !f.Dynamic {
		t.Fatalf("lead id %+v", f)
	}
	if f := got["deal.syncd_budget"]; f.Type != "number" || f.Where != "t.yaml:5" {
		t.Fatalf("declared only %+v", f)
	}
	if f := got["contact.email"]; !f.Dynamic || len(f.Values) != 0 {
		t.Fatalf("email %+v", f)
	}
	// A property only written is found where the first rule writes it, not
	// at that rule's first line: crm check's finding for it points there.
	if f := got["deal.dealname"]; f.Where != "t.yaml:14" {
		t.Fatalf("dealname written at %s, want t.yaml:14", f.Where)
	}
}

func TestFieldsErrors(t *testing.T) {
	cases := map[string]string{
		"fields:\n  deal:\n    x: {label: y}\n":                    `fields.deal.x: missing type`,
		"fields:\n  company:\n    x: {type: string}\n":             `unknown record kind "company"`,
		"fields:\n  deal:\n    x: {type: string, colour: red}\n":   `unknown key "colour"`,
		"fields:\n  deal:\n    x: {type: string, unique: maybe}\n": `unique: want true or false`,
	}
	for src, want := range cases {
		if _, err := mapping.Parse("t.yaml", []byte(src), "hubspot"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", src, err, want)
		}
	}
}

// TestFieldsPairWhatOneRuleWrites: a field's Writes say, rule by rule,
// where it is written and what: crm check pairs the deal stage a rule
// writes with that rule's pipeline. Before, Fields merged the values of
// every rule, and a stage of one rule's pipeline passed in another rule.
func TestFieldsPairWhatOneRuleWrites(t *testing.T) {
	src := `
rules:
  - name: lettings
    source: eaf
    event: email_lead
    contact: {email: contact_email}
    deal:
      pipeline: {const: "2000"}
      dealstage: {const: "2001"}
      dealname: {const: x}
  - name: sales
    source: lokalebasen
    event: enquiry_created
    contact: {email: payload.client.email}
    deal:
      dealstage: {expr: 'payload.enquiry.type == "extra" ? "2001" : payload.enquiry.type'}
      dealname: {const: x}
  - name: any
    source: lokalebasen
    event: enquiry_updated
    contact: {email: payload.client.email}
    deal:
      pipeline: payload.enquiry.type
      dealname: {const: x}
`
	rules, err := mapping.Parse("t.yaml", []byte(src), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range rules.Fields() {
		var ws []string
		for _, w := range f.Writes {
			ws = append(ws, fmt.Sprintf("%s@%s=%s/%t", w.Rule, w.At, strings.Join(w.Values, "|"), w.Dynamic))
		}
		got[f.Name] = strings.Join(ws, " ")
	}
	for name, want := range map[string]string{
		"pipeline":  "t.yaml:3@t.yaml:8=2000/false t.yaml:18@t.yaml:23=/true",
		"dealstage": "t.yaml:3@t.yaml:9=2001/false t.yaml:11@t.yaml:16=2001/true",
	} {
		if got[name] != want {
			t.Errorf("%s written %q, want %q", name, got[name], want)
		}
	}
}

func TestFieldNamesWithSpaces(t *testing.T) {
	src := `
rules:
  - name: r
    source: eaf
    event: email_lead
    contact:
      email: contact_email
      Company name: contact_name
    deal:
      title: {const: x}
      Lead source: {const: eaf}
`
	rules, err := mapping.Parse("t.yaml", []byte(src), "pipedrive")
	if err != nil {
		t.Fatal(err)
	}
	if fs := rules.Fields(); len(fs) != 4 || fs[0].Name != "Company name" {
		t.Fatalf("fields %+v", fs)
	}
}

// TestShippedPipedriveMappingsUseNames: the shipped Pipedrive mappings
// leave nothing for the operator to look up: no CF_* placeholders, no
// 40-character keys, no numeric stage or pipeline ids.
func TestShippedPipedriveMappingsUseNames(t *testing.T) {
	rules, err := mapping.Load("../../mappings/pipedrive", "pipedrive")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rules.Fields() {
		if strings.HasPrefix(f.Name, "CF_") || len(f.Name) == 40 || f.Name == "stage_id" || f.Name == "pipeline_id" {
			t.Errorf("%s %q at %s", f.Kind, f.Name, f.Where)
		}
		if f.Name == "stage" && (f.Dynamic || len(f.Values) == 0) {
			t.Errorf("stage is not a known name: %+v", f)
		}
	}
}
