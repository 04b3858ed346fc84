package mapping_test

import (
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
