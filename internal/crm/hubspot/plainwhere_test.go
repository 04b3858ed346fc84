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

// TestPauseNamesTheLinesToChange: the pause of a deal HubSpot refuses for
// the account's sake names the mapping lines to change, as crm check does.
// It named the field's first line alone (Where): for a property the
// account lacks, or one HubSpot calculates, that is to be taken out of the
// mappings, the declaration in fields: and not the rule writing it, or
// the first of two rules writing it; for a deal stage from the payload
// that the pipeline lacks, the rule writing a constant stage, not the one
// writing the payload's.
func TestPauseNamesTheLinesToChange(t *testing.T) {
	t.Parallel()
	specs := crmtest.FieldsOf(t, hubspot.Name, `fields:
  deal:
    syncd_lead_id: {type: string, unique: true}
    budget: {type: number}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: {const: Enquiry}
      syncd_lead_id: {expr: 'syncd.lead_id'}
      dealstage: {const: appointmentscheduled}
      budget: payload.comment
      hs_object_id: {const: 5}
  - name: lb-moved
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: {const: Enquiry}
      syncd_lead_id: {expr: 'syncd.lead_id'}
      dealstage: payload.enquiry.type
      hs_object_id: {const: 6}
`)
	_, a := checkAccount(t, hubspot.Options{Fields: specs})
	cases := []struct{ prop, value, want string }{
		{"budget", "450000", "create it on deals in HubSpot, or stop writing it (m.yaml:4, m.yaml:15)"},
		{"hs_object_id", "5", "stop writing it (m.yaml:16, m.yaml:26)"},
		{"dealstage", "closed", `has no option "closed": write the id of a stage of the pipeline written, or add the stage in HubSpot (m.yaml:25)`},
	}
	cs, ds := hubspotLeads(len(cases))
	cr, _ := deliver(t, a, cs, nil, 1)
	for i, c := range cases {
		d := ds[i]
		d.ContactID = cr[i].ID
		d.Properties[c.prop] = c.value
		r := a.UpsertDeals(context.Background(), []syncd.Deal{d})[0]
		if r.Err == nil || !strings.Contains(r.Err.Error(), c.want) {
			t.Errorf("%s %q: %v (class %v)\nwant it to say %q", c.prop, c.value, r.Err, crmtest.Class(r.Err), c.want)
		}
	}
}

// TestPayloadWarningsNameTheRuleWritingThePayloads: crm check's warnings of
// payload values into a number property the mappings declare no type for
// (the account's own, or a syncd_* one made a number by hand) said that
// the first rule writing it writes values from the payload, when that rule
// writes a constant and another the payload's.
func TestPayloadWarningsNameTheRuleWritingThePayloads(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{})
	srv.SetProperty("deals", crmfake.Property{Name: "budget", Label: "Budget", Type: "number", FieldType: "number"})
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_rooms", Label: "Rooms", Type: "number", FieldType: "number", GroupName: "syncd"})
	fs := checkMappings(t, a, `rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: {const: Enquiry}
      budget: {const: 5}
      syncd_rooms: {const: 3}
  - name: lb-more
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: {const: Enquiry}
      budget: payload.comment
      syncd_rooms: payload.comment
`)
	for name, line := range map[string]string{"budget": "m.yaml:18", "syncd_rooms": "m.yaml:19"} {
		if f := crmtest.FindingOf(t, fs, name); f.Severity != syncd.SevWarn || !strings.HasPrefix(f.Problem, line+" writes values from the payload into "+name) {
			t.Errorf("%s: %s %q; want a warning naming the rule's line %s", name, f.Severity, f.Problem, line)
		}
	}
}
