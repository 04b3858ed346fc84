package crmfake_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestHubSpotPropertiesAPI follows the contract: create answers 201 with
// the property, a taken name 409, a type/fieldType mismatch or a missing
// group 400; groups are created with 201.
func TestHubSpotPropertiesAPI(t *testing.T) {
	_, base := start(t, crmfake.Options{Token: "t"})
	prop := map[string]any{"name": "syncd_x", "label": "x", "type": "number", "fieldType": "text", "groupName": "syncd"}
	if a := call(t, "POST", base+"/crm/v3/properties/deals", "t", prop); a.status != 400 {
		t.Fatalf("mismatched fieldType: %d %s", a.status, a.raw)
	}
	prop["fieldType"] = "number"
	if a := call(t, "POST", base+"/crm/v3/properties/deals", "t", prop); a.status != 400 || !strings.Contains(a.raw, "group") {
		t.Fatalf("missing group: %d %s", a.status, a.raw)
	}
	if a := call(t, "POST", base+"/crm/v3/properties/deals/groups", "t", map[string]string{"name": "syncd", "label": "syncd"}); a.status != 201 {
		t.Fatalf("group: %d %s", a.status, a.raw)
	}
	if a := call(t, "POST", base+"/crm/v3/properties/deals", "t", prop); a.status != 201 || a.body["name"] != "syncd_x" {
		t.Fatalf("create: %d %s", a.status, a.raw)
	}
	if a := call(t, "POST", base+"/crm/v3/properties/deals", "t", prop); a.status != 409 {
		t.Fatalf("again: %d %s", a.status, a.raw)
	}
	a := call(t, "GET", base+"/crm/v3/properties/deals", "t", nil)
	if res, _ := a.body["results"].([]any); a.status != 200 || len(res) < 5 {
		t.Fatalf("list: %d %s", a.status, a.raw)
	}
	if a := call(t, "GET", base+"/crm/v3/properties/deals/nope", "t", nil); a.status != 404 {
		t.Fatalf("unknown: %d", a.status)
	}
}

// TestHubSpotPropertyArchived: an admin archives a property (DELETE, 204):
// it is gone from reads, a write naming it is refused as HubSpot refuses an
// unknown property, and archiving it again answers 404. A local trial
// (syncd fakecrm) can so take a property away from under the daemon.
func TestHubSpotPropertyArchived(t *testing.T) {
	_, base := start(t, crmfake.Options{Token: "t", StrictSchema: true})
	if a := call(t, "DELETE", base+"/crm/v3/properties/deals/dealname", "t", nil); a.status != 204 {
		t.Fatalf("archive: %d %s", a.status, a.raw)
	}
	if a := call(t, "GET", base+"/crm/v3/properties/deals/dealname", "t", nil); a.status != 404 {
		t.Fatalf("read after archive: %d %s", a.status, a.raw)
	}
	deal := map[string]any{"properties": map[string]string{"dealname": "x", "dealstage": "appointmentscheduled", "pipeline": "default"}}
	if a := call(t, "POST", base+"/crm/v3/objects/deals", "t", deal); a.status != 400 || !strings.Contains(a.raw, "PROPERTY_DOESNT_EXIST") {
		t.Fatalf("write of the archived property: %d %s", a.status, a.raw)
	}
	if a := call(t, "DELETE", base+"/crm/v3/properties/deals/dealname", "t", nil); a.status != 404 {
		t.Fatalf("archive again: %d %s", a.status, a.raw)
	}
}

// TestHubSpotPipelineAndStageAreEachOthersNot: a deal's pipeline holds a
// pipeline's id and its dealstage a stage's (docs/crm-contracts.md), and
// an unknown one is refused INVALID_OPTION. The stand-in took a pipeline id
// as a stage and a stage id as a pipeline: a mapping that wrote
// `dealstage: default` (the pipeline's id where the stage's belongs) or
// swapped the two made deals there, where HubSpot refuses every one.
func TestHubSpotPipelineAndStageAreEachOthersNot(t *testing.T) {
	_, base := start(t, crmfake.Options{Token: "t", StrictSchema: true})
	for _, c := range []struct{ pipeline, stage, refused string }{
		{"default", "default", "dealstage"},
		{"appointmentscheduled", "appointmentscheduled", "pipeline"},
		{"", "default", "dealstage"},
		{"appointmentscheduled", "", "pipeline"},
	} {
		props := map[string]string{"dealname": "x"}
		if c.pipeline != "" {
			props["pipeline"] = c.pipeline
		}
		if c.stage != "" {
			props["dealstage"] = c.stage
		}
		a := call(t, "POST", base+"/crm/v3/objects/deals", "t", map[string]any{"properties": props})
		if a.status != 400 || !strings.Contains(a.raw, "INVALID_OPTION") || !strings.Contains(a.raw, `"`+c.refused+`"`) {
			t.Errorf("pipeline %q, dealstage %q: %d %s; want 400 INVALID_OPTION on %s", c.pipeline, c.stage, a.status, a.raw, c.refused)
		}
	}
	deal := map[string]any{"properties": map[string]string{"dealname": "x", "pipeline": "default", "dealstage": "appointmentscheduled"}}
	if a := call(t, "POST", base+"/crm/v3/objects/deals", "t", deal); a.status != 201 {
		t.Fatalf("the default pipeline and its stage: %d %s", a.status, a.raw)
	}
}

// TestHubSpotStageOfAnotherPipeline: a deal stage belongs to one pipeline,
// and a stage outside the default pipeline needs the pipeline that lines up
// with it (docs/crm-contracts.md): a stage of another pipeline than the one
// written, than the deal's own on an update, or than the default pipeline
// when none is written, is refused 400 INVALID_OPTION on dealstage, its
// message listing the pipeline's stages as HubSpot's does. The stand-in took
// a stage of any pipeline with any pipeline and made the deal.
func TestHubSpotStageOfAnotherPipeline(t *testing.T) {
	srv, base := start(t, crmfake.Options{Token: "t", StrictSchema: true})
	srv.SetPipelines([]crmfake.Pipeline{
		{ID: "default", Label: "Sales Pipeline", Stages: []crmfake.Stage{{ID: "appointmentscheduled", Label: "New"}, {ID: "closedwon", Label: "Won"}}},
		{ID: "75e28846", Label: "Lettings", Stages: []crmfake.Stage{{ID: "1001", Label: "New"}, {ID: "1002", Label: "Viewing"}}},
	})
	deal := func(lead, pipeline, stage string) map[string]any {
		props := map[string]string{"dealname": "x", "syncd_lead_id": lead, "dealstage": stage}
		if pipeline != "" {
			props["pipeline"] = pipeline
		}
		return map[string]any{"properties": props}
	}
	refused := func(what string, a answer, pipeline string) {
		t.Helper()
		if a.status != 400 || !strings.Contains(a.raw, "INVALID_OPTION") || !strings.Contains(a.raw, `\"dealstage\"`) ||
			!strings.Contains(a.raw, "is not a valid pipeline stage ID. Valid options are: pipelineId="+pipeline+" : [") {
			t.Errorf("%s: %d %s; want 400 INVALID_OPTION on dealstage, the stages of pipeline %s listed", what, a.status, a.raw, pipeline)
		}
	}
	refused("the default pipeline, a Lettings stage", call(t, "POST", base+"/crm/v3/objects/deals", "t", deal("l1", "default", "1001")), "default")
	refused("Lettings, a default stage", call(t, "POST", base+"/crm/v3/objects/deals", "t", deal("l2", "75e28846", "appointmentscheduled")), "75e28846")
	refused("no pipeline, a Lettings stage", call(t, "POST", base+"/crm/v3/objects/deals", "t", deal("l3", "", "1001")), "default")
	upsert := func(lead string, props map[string]string) answer {
		return call(t, "POST", base+"/crm/v3/objects/deals/batch/upsert", "t", map[string]any{"inputs": []map[string]any{{"id": lead, "idProperty": "syncd_lead_id", "properties": props}}})
	}
	refused("upsert of a new deal, no pipeline, a Lettings stage", upsert("l4", map[string]string{"dealname": "x", "dealstage": "1001"}), "default")
	if st := srv.State(); len(st.Deals) != 0 {
		t.Fatalf("refused deals were made: %+v", st.Deals)
	}
	a := call(t, "POST", base+"/crm/v3/objects/deals", "t", deal("l5", "75e28846", "1001"))
	if a.status != 201 {
		t.Fatalf("Lettings and its stage: %d %s", a.status, a.raw)
	}
	id, _ := a.body["id"].(string)
	// An update that writes no pipeline is checked against the deal's own.
	refused("update of a Lettings deal to a default stage", upsert("l5", map[string]string{"dealstage": "closedwon"}), "75e28846")
	refused("patch of a Lettings deal to a default stage", call(t, "PATCH", base+"/crm/v3/objects/deals/"+id, "t", map[string]any{"properties": map[string]string{"dealstage": "closedwon"}}), "75e28846")
	if a := upsert("l5", map[string]string{"dealstage": "1002"}); a.status != 200 {
		t.Fatalf("update to a stage of its pipeline: %d %s", a.status, a.raw)
	}
	if a := call(t, "PATCH", base+"/crm/v3/objects/deals/"+id, "t", map[string]any{"properties": map[string]string{"pipeline": "default", "dealstage": "closedwon"}}); a.status != 200 {
		t.Fatalf("moved to the default pipeline with one of its stages: %d %s", a.status, a.raw)
	}
}

func TestHubSpotNonUniqueUpsertAndScopes(t *testing.T) {
	srv, base := start(t, crmfake.Options{Token: "t", Scopes: []string{"crm.objects.deals.write"}})
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_lead_id", Label: "l", Type: "string", FieldType: "text"})
	in := map[string]any{"inputs": []map[string]any{{"id": "L1", "idProperty": "syncd_lead_id", "properties": map[string]string{"dealname": "d"}}}}
	a := call(t, "POST", base+"/crm/v3/objects/deals/batch/upsert", "t", in)
	if a.status != 400 || !strings.Contains(a.raw, "non-unique 0-3 property syncd_lead_id") {
		t.Fatalf("non-unique: %d %s", a.status, a.raw)
	}
	a = call(t, "GET", base+"/crm/v3/properties/deals", "t", nil)
	if a.status != 403 || a.body["category"] != "MISSING_SCOPES" || !strings.Contains(a.raw, `"requiredGranularScopes":["crm.schemas.deals.read"]`) {
		t.Fatalf("scope: %d %s", a.status, a.raw)
	}
	a = call(t, "POST", base+"/oauth/v2/private-apps/get/access-token-info", "t", map[string]string{"tokenKey": "t"})
	if sc, _ := a.body["scopes"].([]any); a.status != 200 || len(sc) != 1 {
		t.Fatalf("token info: %d %s", a.status, a.raw)
	}
}

func TestPipedriveFieldsAPIAndTypedValues(t *testing.T) {
	srv, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive})
	base = strings.TrimSuffix(base, "/api/v2")
	srv.AddField("deal", crmfake.Field{Name: "Budget", Type: "double"})
	a := call(t, "GET", base+"/api/v2/dealFields?limit=5", "", nil)
	next, _ := a.body["additional_data"].(map[string]any)["next_cursor"].(string)
	if data, _ := a.body["data"].([]any); a.status != 200 || len(data) != 5 || next == "" {
		t.Fatalf("page 1: %d %s", a.status, a.raw)
	}
	if a := call(t, "POST", base+"/api/v2/dealFields", "", map[string]any{"field_name": "Kind", "field_type": "enum"}); a.status != 400 {
		t.Fatalf("enum without options: %d", a.status)
	}
	a = call(t, "POST", base+"/api/v2/dealFields", "", map[string]any{"field_name": "Kind", "field_type": "enum", "options": []map[string]string{{"label": "a"}}})
	code, _ := a.body["data"].(map[string]any)["field_code"].(string)
	if a.status != 200 || len(code) != 40 {
		t.Fatalf("create: %d %s", a.status, a.raw)
	}
	var budget string
	for _, f := range srv.Fields("deal") {
		if f.Name == "Budget" {
			budget = f.Code
		}
	}
	deal := map[string]any{"title": "x", "custom_fields": map[string]any{budget: "450000"}}
	if a := call(t, "POST", base+"/api/v2/deals", "", deal); a.status != 400 || !strings.Contains(a.raw, "expected a number") {
		t.Fatalf("string for a double: %d %s", a.status, a.raw)
	}
	deal["custom_fields"] = map[string]any{budget: 450000}
	if a := call(t, "POST", base+"/api/v2/deals", "", deal); a.status != 200 {
		t.Fatalf("number: %d %s", a.status, a.raw)
	}
	if a := call(t, "GET", base+"/api/v2/stages?pipeline_id=1", "", nil); a.status != 200 || !strings.Contains(a.raw, `"name":"Qualified"`) {
		t.Fatalf("stages: %d %s", a.status, a.raw)
	}
}

// TestPipedriveFieldDeleted: DELETE /api/v2/dealFields/{field_code}, as an
// admin deleting a custom field: the field lists no longer show it and,
// with StrictSchema, a write of it is refused; a system field or an
// unknown code is 404.
func TestPipedriveFieldDeleted(t *testing.T) {
	srv, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, StrictSchema: true})
	code := srv.AddField("deal", crmfake.Field{Name: "Comment", Type: "text"})
	if a := call(t, "DELETE", base+"/dealFields/"+code, "", nil); a.status != 200 {
		t.Fatalf("delete: %d %s", a.status, a.raw)
	}
	if a := call(t, "GET", base+"/dealFields", "", nil); strings.Contains(a.raw, code) {
		t.Fatalf("still listed: %s", a.raw)
	}
	deal := map[string]any{"title": "x", "custom_fields": map[string]any{code: "hello"}}
	if a := call(t, "POST", base+"/deals", "", deal); a.status != 400 {
		t.Fatalf("write of the deleted field: %d %s", a.status, a.raw)
	}
	for _, c := range []string{code, "title"} {
		if a := call(t, "DELETE", base+"/dealFields/"+c, "", nil); a.status != 404 {
			t.Fatalf("delete %s again: %d", c, a.status)
		}
	}
}
