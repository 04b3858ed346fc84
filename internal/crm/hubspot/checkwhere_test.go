package hubspot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// checkAccount is a HubSpot account whose schema the stand-in enforces,
// holding the deal property syncd_lead_id as crm setup makes it, and the
// adapter (ao) on it.
func checkAccount(t *testing.T, ao hubspot.Options) (*crmfake.Server, *hubspot.Adapter) {
	srv, a := setup(t, crmfake.Options{StrictSchema: true}, ao)
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_lead_id", Label: "syncd lead id", Type: "string", FieldType: "text", GroupName: "syncd", HasUniqueValue: true})
	return srv, a
}

// checkMappings runs crm check of the mappings yaml (one file, m.yaml)
// against a's account, as `syncd crm check` does.
func checkMappings(t *testing.T, a *hubspot.Adapter, yaml string) []syncd.Finding {
	t.Helper()
	return crmtest.CheckMappings(t, a, hubspot.Name, yaml)
}

// TestPayloadIntoDropdownNamesTheRuleAndTrustsDeclaredOptions: a deal
// dropdown (syncd_enquiry_type) a rule fills from the payload. Declared in
// the fields: section with its options, which crm setup created and the
// check compares with HubSpot's, it drew a warning all the same, at every
// check, saying the declaration's line (m.yaml:4) "writes values from the
// payload" and to map them there. Declared so, it draws none (as on
// Pipedrive); undeclared, the warning names the rule's line (m.yaml:13).
func TestPayloadIntoDropdownNamesTheRuleAndTrustsDeclaredOptions(t *testing.T) {
	t.Parallel()
	const prop = "syncd_enquiry_type"
	srv, a := checkAccount(t, hubspot.Options{})
	srv.SetProperty("deals", crmfake.Property{Name: prop, Label: "Enquiry type", Type: "enumeration", FieldType: "select", GroupName: "syncd",
		Options: []crmfake.Option{{Label: "client", Value: "client"}, {Label: "extra", Value: "extra"}}})
	const declared = `fields:
  deal:
    syncd_lead_id: {type: string, unique: true}
    syncd_enquiry_type: {type: enumeration, options: [client, extra]}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: {const: Enquiry}
      syncd_lead_id: {expr: 'syncd.lead_id'}
      syncd_enquiry_type: payload.enquiry.type
`
	if f := crmtest.FindingOf(t, checkMappings(t, a, declared), prop); f.Problem != "" {
		t.Errorf("options declared and all in HubSpot, yet: %s: %s", f.Problem, f.Fix)
	}

	undeclared := strings.Replace(declared, "    syncd_enquiry_type: {type: enumeration, options: [client, extra]}\n", "", 1)
	f := crmtest.FindingOf(t, checkMappings(t, a, undeclared), prop)
	if f.Severity != syncd.SevWarn || !strings.HasPrefix(f.Problem, "m.yaml:13 writes values from the payload into "+prop) ||
		!strings.Contains(f.Fix, "map them to option values in m.yaml:13") {
		t.Errorf("undeclared options: %s %q, fix %q; want a warning naming the rule's line m.yaml:13", f.Severity, f.Problem, f.Fix)
	}

	// A declared option deleted in HubSpot is the error of the declaration's line.
	gone := strings.Replace(declared, "[client, extra]", "[client, extra, matched]", 1)
	f = crmtest.FindingOf(t, checkMappings(t, a, gone), prop)
	if f.Severity != syncd.SevError || !strings.Contains(f.Fix, "change the options declared in m.yaml:4") {
		t.Errorf("declared option missing in HubSpot: %s %q, fix %q; want an error naming the declaration m.yaml:4", f.Severity, f.Problem, f.Fix)
	}
}

// TestPropertyDeclaredAndWrittenNamesEveryLineToChange: properties of the
// account's own, declared in fields: and written by a rule, that HubSpot
// lacks (budget), has on contacts (company), has under a name two letters
// off (amuont for amount), or calculates (hs_object_id). The fixes named
// the declaration's line alone: "move it to the other block of the rule in
// m.yaml:6" pointed into fields:, and renaming or dropping the declaration
// there left the rule writing it. Each names the declaration and the rule.
func TestPropertyDeclaredAndWrittenNamesEveryLineToChange(t *testing.T) {
	t.Parallel()
	_, a := checkAccount(t, hubspot.Options{})
	specs := crmtest.FieldsOf(t, hubspot.Name, `fields:
  deal:
    syncd_lead_id: {type: string, unique: true}
    budget: {type: number}
    company: {type: string}
    amuont: {type: number}
    hs_object_id: {type: number}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: {const: Enquiry}
      syncd_lead_id: {expr: 'syncd.lead_id'}
      budget: {const: 5}
      company: payload.client.company
      amuont: {const: 5}
      hs_object_id: {const: 5}
`)
	fs, err := a.Check(context.Background(), specs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"budget":       "create it on deals in HubSpot, or take it out of the mappings (m.yaml:4, m.yaml:17)",
		"company":      "it is a property of contacts: move it to the contact: block in m.yaml:5, m.yaml:18",
		"amuont":       "did you mean amount, a property of deals? write it so in m.yaml:6, m.yaml:19",
		"hs_object_id": "take it out of the mappings (m.yaml:7, m.yaml:20)",
	}
	for name, want := range want {
		if f := crmtest.FindingOf(t, fs, name); f.Severity != syncd.SevError || !strings.Contains(f.Fix, want) {
			t.Errorf("%s: %s %q, fix %q; want an error whose fix says %q", name, f.Severity, f.Problem, f.Fix, want)
		}
	}
	// crm setup's rows say the same; the missing one's named no line.
	acts, err := a.Setup(context.Background(), specs, true)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, act := range acts {
		if w, ok := want[act.Name]; ok && act.Name != "company" {
			rows++
			if !strings.Contains(act.Detail, w) {
				t.Errorf("setup of %s: %s %q, want %q", act.Name, act.What, act.Detail, w)
			}
		}
	}
	if rows != 3 {
		t.Errorf("setup: %d rows of budget, amuont and hs_object_id, want 3: %+v", rows, acts)
	}
}

// TestConstantIntoDropdownNamesTheOptionToWrite: a deal dropdown of the
// account's own, option values newbusiness and existingbusiness, one
// more, old, that an admin hid to retire it. A constant "NewBusiness"
// (the option's value but for its case) drew "not an option", with the fix
// to add it or "write one of its options", naming none; "old", hidden,
// passed without a word, every lead getting an option HubSpot no longer
// offers. The first, sent as the option's value, draws a warning naming
// it, a constant no option has names the options, and the hidden one is
// warned of, as a declared one is.
func TestConstantIntoDropdownNamesTheOptionToWrite(t *testing.T) {
	t.Parallel()
	srv, a := checkAccount(t, hubspot.Options{})
	srv.SetProperty("deals", crmfake.Property{Name: "deal_kind", Label: "Deal kind", Type: "enumeration", FieldType: "select", GroupName: "dealinformation",
		Options: []crmfake.Option{{Label: "New Business", Value: "newbusiness"}, {Label: "Existing Business", Value: "existingbusiness"}, {Label: "Old", Value: "old", Hidden: true}}})
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_kind", Label: "syncd kind", Type: "enumeration", FieldType: "select", GroupName: "syncd",
		Options: []crmfake.Option{{Label: "client", Value: "client"}, {Label: "extra", Value: "extra", Hidden: true}}})
	mappings := func(kind string) string {
		return `fields:
  deal:
    syncd_lead_id: {type: string, unique: true}
    syncd_kind: {type: enumeration, options: [client, extra]}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: {const: Enquiry}
      syncd_lead_id: {expr: 'syncd.lead_id'}
      syncd_kind: payload.enquiry.type
      deal_kind: {const: ` + kind + `}
`
	}
	for kind, want := range map[string]string{
		"NewBusiness": `warning: "NewBusiness" is, but for its case, the value of option "newbusiness" of deal_kind: syncd sends "newbusiness", which HubSpot takes | nothing is refused; to write what HubSpot holds, write "newbusiness" in m.yaml:15`,
		"Business":    `error: "Business" is not an option of deal_kind | add option "Business" to deal_kind in HubSpot, or write one of its option values ("newbusiness", "existingbusiness") in m.yaml:15`,
		"old":         `warning: option "old" (Old) of deal_kind, a value the mappings write, is hidden in HubSpot: its dropdown no longer offers it, yet the leads get it | if the option was retired, write another of deal_kind's options in m.yaml:15;`,
		"newbusiness": "",
	} {
		fs := checkMappings(t, a, mappings(kind))
		f := crmtest.FindingOf(t, fs, "deal_kind")
		got := ""
		if f.Problem != "" {
			got = string(f.Severity) + ": " + f.Problem + " | " + f.Fix
		}
		if !strings.HasPrefix(got, want) || (want == "") != (got == "") {
			t.Errorf("constant %q: %q\nwant %q", kind, got, want)
		}
		d := crmtest.FindingOf(t, fs, "syncd_kind")
		if d.Severity != syncd.SevWarn || !strings.Contains(d.Problem, `option "extra" (extra) of syncd_kind, an option the mappings declare, is hidden in HubSpot`) ||
			!strings.Contains(d.Fix, "drop it from the options declared and write another of its options instead, in m.yaml:4, m.yaml:14") {
			t.Errorf("declared option hidden: %s %q, fix %q", d.Severity, d.Problem, d.Fix)
		}
	}
}

// TestDeclaredAmountIsWarnedOfAtTheRuleThatWritesIt: a deal's amount
// declared a number in fields: (so that syncd validate judges what the
// rules write into it), a property with validation rules in HubSpot, and
// no deal_currency_code. The warnings said the declaration's line "writes
// a deal amount", and to make sure what it writes meets the rules; they
// name the rule's line.
func TestDeclaredAmountIsWarnedOfAtTheRuleThatWritesIt(t *testing.T) {
	t.Parallel()
	srv, a := checkAccount(t, hubspot.Options{})
	srv.SetValidationRules("deals", "amount", []crmfake.ValidationRule{{RuleType: "MAX_NUMBER", RuleArguments: []string{"100000000"}}})
	fs := checkMappings(t, a, `fields:
  deal:
    syncd_lead_id: {type: string, unique: true}
    amount: {type: number}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: {const: Enquiry}
      syncd_lead_id: {expr: 'syncd.lead_id'}
      amount: {const: 450000}
`)
	got := crmtest.FindingsOf(fs, "amount")
	if len(got) != 2 {
		t.Fatalf("findings of amount: %q, want the currency's and the rules' warnings", got)
	}
	for _, g := range got {
		if !strings.Contains(g, "m.yaml:14") || strings.Contains(g, "m.yaml:4") {
			t.Errorf("finding of amount: %q, want it to name the rule's line m.yaml:14 alone", g)
		}
	}
}

// TestPipelineNotFoundNamesEveryRuleWritingIt: two rules write the
// pipeline "sales" and the deal stage "won", which the account lacks (the
// shipped mappings write the pipeline in each file). crm check's fix
// named the first rule's line alone: written right there, the check
// failed again on the other. It names each line that writes the id.
func TestPipelineNotFoundNamesEveryRuleWritingIt(t *testing.T) {
	t.Parallel()
	_, a := checkAccount(t, hubspot.Options{})
	fs := checkMappings(t, a, `fields:
  deal:
    syncd_lead_id: {type: string, unique: true}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: {const: Enquiry}
      syncd_lead_id: {expr: 'syncd.lead_id'}
      pipeline: {const: sales}
      dealstage: {const: won}
  - name: eaf
    source: eaf
    event: email_lead
    contact:
      email: contact_email
    deal:
      dealname: {const: Lead}
      syncd_lead_id: {expr: 'syncd.lead_id'}
      pipeline: {const: sales}
      dealstage: {const: won}
`)
	for name, lines := range map[string]string{"pipeline": "m.yaml:13, m.yaml:23", "dealstage": "m.yaml:14, m.yaml:24"} {
		if f := crmtest.FindingOf(t, fs, name); f.Severity != syncd.SevError || !strings.HasSuffix(f.Fix, " in "+lines) {
			t.Errorf("check of %s: %s %q, fix %q; want the fix to name both rules' lines (%s)", name, f.Severity, f.Problem, f.Fix, lines)
		}
	}
}
