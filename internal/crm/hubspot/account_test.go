package hubspot_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// specs is what the shipped HubSpot mappings need, in small.
func specs() []syncd.FieldSpec {
	return []syncd.FieldSpec{
		{Kind: syncd.RecordContact, Name: "email", Dynamic: true},
		{Kind: syncd.RecordContact, Name: "lifecyclestage", Values: []string{"lead"}},
		{Kind: syncd.RecordDeal, Name: "dealname", Dynamic: true},
		{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"default"}},
		{Kind: syncd.RecordDeal, Name: "dealstage", Values: []string{"appointmentscheduled", "qualifiedtobuy"}},
		{Kind: syncd.RecordDeal, Name: "syncd_lead_id", Type: "string", Unique: true},
		{Kind: syncd.RecordDeal, Name: "syncd_source", Values: []string{"eaf"}},
		{Kind: syncd.RecordDeal, Name: "syncd_enquiry_at", Type: "datetime", Dynamic: true},
	}
}

func problems(fs []syncd.Finding) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		if f.Severity == syncd.SevError {
			out[f.Name] = f.Problem + " | " + f.Fix
		}
	}
	return out
}

func TestCheckThenSetupThenCheckPasses(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	ctx := context.Background()
	fs, err := a.Check(ctx, specs())
	if err != nil {
		t.Fatal(err)
	}
	p := problems(fs)
	if len(p) != 2 || !strings.Contains(p["syncd_source"], "crm setup") || !strings.Contains(p["syncd_enquiry_at"], "does not exist") {
		t.Fatalf("findings before setup: %v", p)
	}
	acts, err := a.Setup(ctx, specs(), true)
	if err != nil || len(srv.Properties("deals")) != len(crmfakeDeals(srv)) {
		t.Fatalf("dry run: %v %v", acts, err)
	}
	if _, ok := srv.Properties("deals")["syncd_source"]; ok {
		t.Fatal("dry run created a property")
	}
	if _, err := a.Setup(ctx, specs(), false); err != nil {
		t.Fatal(err)
	}
	got := srv.Properties("deals")["syncd_enquiry_at"]
	if got.Type != "datetime" || got.FieldType != "date" || got.GroupName != hubspot.Group {
		t.Fatalf("created %+v", got)
	}
	again, err := a.Setup(ctx, specs(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range again {
		if act.What != "exists" && act.What != "cannot create" {
			t.Fatalf("second setup did %+v", act)
		}
	}
	if fs, _ := a.Check(ctx, specs()); syncd.Failed(fs) {
		t.Fatalf("check after setup: %v", problems(fs))
	}
}

// TestSetupDryRunListsWhatSetupDoes: the dry run names every action the
// real run then takes, the property group included (it left the group out).
func TestSetupDryRunListsWhatSetupDoes(t *testing.T) {
	t.Parallel()
	_, a := setup(t, crmfake.Options{}, hubspot.Options{})
	ctx := context.Background()
	rows := func(dry bool) []string {
		acts, err := a.Setup(ctx, specs(), dry)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, act := range acts {
			out = append(out, act.Object+" "+act.Name+" "+strings.Replace(act.What, "would create", "created", 1))
		}
		return out
	}
	dry, real := rows(true), rows(false)
	if strings.Join(dry, "\n") != strings.Join(real, "\n") {
		t.Fatalf("dry run:\n%s\nsetup:\n%s", strings.Join(dry, "\n"), strings.Join(real, "\n"))
	}
}

func crmfakeDeals(srv *crmfake.Server) map[string]crmfake.Property { return srv.Properties("deals") }

func TestSetupCreatesLeadIDUnique(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{DealKeyProperty: "syncd_lead_key"})
	if _, err := a.Setup(context.Background(), nil, false); err != nil {
		t.Fatal(err)
	}
	if p := srv.Properties("deals")["syncd_lead_key"]; !p.HasUniqueValue || p.GroupName != "syncd" {
		t.Fatalf("lead id property %+v", p)
	}
}

func TestCheckFindings(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fake  crmfake.Options
		prep  func(*crmfake.Server)
		spec  syncd.FieldSpec
		want  string // finding name
		words string // in problem or fix
	}{
		{"lead id not unique", crmfake.Options{}, func(s *crmfake.Server) {
			s.SetProperty("deals", crmfake.Property{Name: "syncd_lead_id", Label: "x", Type: "string", FieldType: "text"})
		}, syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "dealname"}, "syncd_lead_id", "never be made unique"},
		{"stage label not id", crmfake.Options{}, nil,
			syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "dealstage", Values: []string{"Closed Won"}}, "dealstage", "not a stage"},
		{"unknown pipeline", crmfake.Options{}, nil,
			syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"sales"}}, "pipeline", "does not exist"},
		{"lifecycle option", crmfake.Options{}, nil,
			syncd.FieldSpec{Kind: syncd.RecordContact, Name: "lifecyclestage", Values: []string{"prospect"}}, "lifecyclestage", "not an option"},
		{"owner", crmfake.Options{}, nil,
			syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "hubspot_owner_id", Values: []string{"999"}}, "hubspot_owner_id", `owner "999" does not exist in the account: no owner, active or deactivated, has that id | write an active owner's id`},
		// A deactivated user's owner is archived: GET /crm/v3/owners leaves
		// it out, ?archived=true lists it. Before, the check said "no owner
		// has that id, or its user was deactivated" of either.
		{"owner deactivated", crmfake.Options{}, func(s *crmfake.Server) { s.DeactivateOwner("102") },
			syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "hubspot_owner_id", Values: []string{"102"}}, "hubspot_owner_id", `owner "102" is deactivated: its user was deactivated in HubSpot`},
		{"deactivated owners unread", crmfake.Options{}, func(s *crmfake.Server) {
			s.AddFault(crmfake.Fault{Method: "GET", Path: "/crm/v3/owners", Nth: 2, Action: crmfake.ActError, Status: 500})
		}, syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "hubspot_owner_id", Values: []string{"999"}}, "hubspot_owner_id", `owner "999" is no active owner of the account: no owner has that id, or its user was deactivated (the deactivated ones could not be read`},
		{"wrong object", crmfake.Options{}, nil,
			syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "firstname"}, "firstname", "does not exist on deals | it is a property of contacts"},
		{"archived", crmfake.Options{}, func(s *crmfake.Server) {
			s.SetProperty("deals", crmfake.Property{Name: "syncd_source", Label: "x", Type: "string", FieldType: "text", Archived: true})
		}, syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "syncd_source"}, "syncd_source", "is archived | restore it"},
		{"type", crmfake.Options{}, nil,
			syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "amount", Type: "string"}, "amount", "type number"},
		// A constant HubSpot refuses for the property's type, with every lead
		// (INVALID_DATE): a time of day in a date, a datetime not ISO 8601.
		{"date with a time", crmfake.Options{}, func(s *crmfake.Server) {
			s.SetProperty("deals", crmfake.Property{Name: "viewing_on", Label: "x", Type: "date", FieldType: "date"})
		}, syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "viewing_on", Values: []string{"2026-11-30T10:00:00Z"}}, "viewing_on", "YYYY-MM-DD"},
		{"datetime not ISO", crmfake.Options{}, nil,
			syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "closedate", Values: []string{"30.11.2026"}}, "closedate", "ISO 8601"},
		{"missing scope", crmfake.Options{Scopes: []string{"crm.objects.contacts.write"}}, nil,
			syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "dealname"}, "crm.objects.deals.write", "lacks scope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, a := setup(t, tc.fake, hubspot.Options{})
			if tc.prep != nil {
				tc.prep(srv)
			}
			fs, err := a.Check(context.Background(), []syncd.FieldSpec{tc.spec})
			if err != nil {
				t.Fatal(err)
			}
			p := problems(fs)
			if !strings.Contains(p[tc.want], tc.words) {
				t.Fatalf("findings %v, want %s: %q", p, tc.want, tc.words)
			}
		})
	}
}

func TestCheckBadToken(t *testing.T) {
	t.Parallel()
	_, a := setup(t, crmfake.Options{}, hubspot.Options{Token: "pat-wrong"})
	fs, err := a.Check(context.Background(), specs())
	if err != nil || len(fs) != 1 || fs[0].Object != "token" || !syncd.Failed(fs) {
		t.Fatalf("findings %+v, %v", fs, err)
	}
}

// TestNonUniqueLeadIDPauses: with syncd_lead_id present but not unique,
// HubSpot refuses every upsert by it. That is the account's fault, not the
// leads': one call per batch, every deal answered ErrConfig naming the
// property (the syncer pauses), none dead-lettered. It used to split every
// batch down to single inputs: 398 requests for 200 deals, all dead.
func TestNonUniqueLeadIDPauses(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_lead_id", Label: "Lead id", Type: "string", FieldType: "text"})
	cs, ds := leads(200)
	dealsRefusedForTheLeadID(t, srv, a, cs, ds)
}

func TestMissingPropertyPausesNotDeadLetters(t *testing.T) {
	t.Parallel()
	_, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{})
	cs, _ := leads(3)
	for _, c := range cs {
		delete(c.Properties, "name") // a Pipedrive property
	}
	cs[1].Properties["syncd_contact_source"] = "x"
	res := a.UpsertContacts(context.Background(), cs)
	for _, r := range res {
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != "syncd_contact_source" {
			t.Fatalf("got %v", r.Err)
		}
	}
}

// TestOther4xxSplitsBatch: a 409 or 422 for a whole batch is looked into
// by splitting, so that only the bad input is dead-lettered.
func TestOther4xxSplitsBatch(t *testing.T) {
	t.Parallel()
	for _, status := range []int{409, 422} {
		srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
		srv.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActError, Status: status, Uses: 1})
		cs, _ := leads(8)
		res := a.UpsertContacts(context.Background(), cs)
		ok := 0
		for _, r := range res {
			if r.Err == nil {
				ok++
			}
		}
		if ok != 8 || srv.CountRequests("POST", "/crm/v3/objects/contacts/batch/upsert", 0) != 3 {
			t.Fatalf("%d: %d of 8 written, %d requests", status, ok, srv.CountRequests("POST", "/crm/v3/objects/contacts/batch/upsert", 0))
		}
	}
}

// TestCheckWithoutIntrospection: token introspection is undocumented for
// private apps; whatever it answers, the check goes on, and a missing
// scope still shows, as the 403 of the read that needs it.
func TestCheckWithoutIntrospection(t *testing.T) {
	t.Parallel()
	for _, status := range []int{404, 400, 401, 500} {
		srv, a := setup(t, crmfake.Options{Scopes: []string{"crm.objects.contacts.write", "crm.schemas.contacts.read"}}, hubspot.Options{})
		srv.AddFault(crmfake.Fault{Path: "/oauth/**", Action: crmfake.ActError, Status: status})
		fs, err := a.Check(context.Background(), []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "dealname"}})
		if err != nil || len(fs) != 2 || fs[0].Severity != syncd.SevWarn || fs[1].Object != "deals" ||
			!strings.Contains(fs[1].Problem, "lacks scope crm.schemas.deals.read") {
			t.Fatalf("introspection %d: %+v %v", status, fs, err)
		}
	}
}

func TestSetupLeavesArchivedProperty(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_source", Label: "x", Type: "string", FieldType: "text", Archived: true})
	acts, err := a.Setup(context.Background(), []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "syncd_source"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range acts {
		if act.Name == "syncd_source" && (act.What != "cannot fix" || !strings.Contains(act.Detail, "restore")) {
			t.Fatalf("%+v", act)
		}
	}
}

// TestMissingScopeIsNamed: a call refused for a scope the token lacks says
// which scope to add, in the sync's error (the paused adapter's reason) and
// in setup's; both said only "This app hasn't been granted all required
// scopes to make this call."
func TestMissingScopeIsNamed(t *testing.T) {
	t.Parallel()
	scopes := []string{"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read",
		"crm.schemas.contacts.read", "crm.schemas.deals.read"}
	_, a := setup(t, crmfake.Options{Scopes: scopes}, hubspot.Options{})
	ctx := context.Background()
	c, d := lead(0)
	if r := a.UpsertContacts(ctx, []syncd.Contact{c}); r[0].Err != nil {
		t.Fatal(r[0].Err)
	}
	r := a.UpsertDeals(ctx, []syncd.Deal{d})
	var ce *syncd.CRMError
	if !errors.As(r[0].Err, &ce) || ce.Class != syncd.ErrAuth || !strings.Contains(ce.Error(), "crm.objects.deals.write") {
		t.Fatalf("deal without the write scope: %v", r[0].Err)
	}
	_, err := a.Setup(ctx, specs(), false)
	if err == nil || !strings.Contains(err.Error(), "crm.schemas.deals.write") {
		t.Fatalf("setup without the schema write scope: %v", err)
	}
}

// TestCheckNamesTheScopeA403Needs: a read of the check refused for a
// missing scope says which scope, whether or not HubSpot said which scopes
// the token has. The owners read (crm.objects.owners.read, a scope the
// check does not list) and, without introspection, the deals properties
// read (crm.schemas.deals.read) said only "the token lacks a scope for
// this call (MISSING_SCOPES)" and "give the private app the scopes listed
// by this check", where none was listed.
func TestCheckNamesTheScopeA403Needs(t *testing.T) {
	t.Parallel()
	sync := []string{"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read",
		"crm.objects.deals.write", "crm.schemas.contacts.read", "crm.schemas.contacts.write", "crm.schemas.deals.write"}
	owner := syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "hubspot_owner_id", Values: []string{"101"}, Where: "eaf.yaml:9"}
	for _, tc := range []struct {
		scopes []string
		intro  bool
		want   string
	}{
		{append(sync, "crm.schemas.deals.read"), true, "crm.objects.owners.read"},
		{append(sync, "crm.schemas.deals.read"), false, "crm.objects.owners.read"},
		{sync, false, "crm.schemas.deals.read"},
	} {
		srv, a := setup(t, crmfake.Options{Scopes: tc.scopes}, hubspot.Options{})
		if !tc.intro {
			srv.AddFault(crmfake.Fault{Path: "/oauth/**", Action: crmfake.ActError, Status: 404})
		}
		fs, err := a.Check(context.Background(), append(specs(), owner))
		if err != nil {
			t.Fatal(err)
		}
		var got *syncd.Finding
		for i, f := range fs {
			if f.Severity == syncd.SevError && strings.Contains(f.Problem, "scope") {
				got = &fs[i]
			}
		}
		if got == nil || !strings.Contains(got.Problem, tc.want) || !strings.Contains(got.Fix, "add scope "+tc.want) {
			t.Fatalf("introspection %v, scope %s missing: %+v", tc.intro, tc.want, fs)
		}
	}
}

// TestCheckOnASpentDailyLimit: on a day the account's daily API limit is
// spent (by syncd or another integration), the check cannot read the
// account. It said "crm 429 DAILY: You have reached your daily limit." with
// the fix "look at the CRM's answer; run the check again", under "the
// account is not ready for the mappings"; it now says that the limit is
// spent and when it resets, and that nothing in the account is to change.
func TestCheckOnASpentDailyLimit(t *testing.T) {
	t.Parallel()
	_, a := setup(t, crmfake.Options{DailyLimit: 1}, hubspot.Options{}) // the token look-up spends it
	fs, err := a.Check(context.Background(), specs())
	if err != nil || !syncd.Failed(fs) {
		t.Fatalf("%+v %v", fs, err)
	}
	f := fs[len(fs)-1]
	if !strings.Contains(f.Problem, "daily API limit") || !strings.Contains(f.Fix, "midnight in the account's time zone") ||
		!strings.Contains(f.Fix, "nothing to change") {
		t.Fatalf("%+v", f)
	}
}

// TestStageFixNamesStagesByLabel: an account whose pipeline stages were
// made in HubSpot has numeric stage ids. A stage the mappings write that is
// not among them listed the ids alone ("write one of 1001, 1002"), and an
// operator cannot tell which is "New lead" without them: each id now comes
// with its label, as the pipelines do.
func TestStageFixNamesStagesByLabel(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	srv.SetPipelines([]crmfake.Pipeline{{ID: "default", Label: "Lettings", Stages: []crmfake.Stage{
		{ID: "1001", Label: "New lead"}, {ID: "1002", Label: "Viewing booked"}}}})
	fs, err := a.Check(context.Background(), []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"default"}},
		{Kind: syncd.RecordDeal, Name: "dealstage", Values: []string{"appointmentscheduled"}, Where: "eaf.yaml:47"}})
	if err != nil {
		t.Fatal(err)
	}
	if p := problems(fs)["dealstage"]; !strings.Contains(p, "write one of 1001 (New lead), 1002 (Viewing booked) in eaf.yaml:47") {
		t.Fatalf("dealstage: %q", p)
	}
}

// TestCheckWarnsOfPayloadValuesInAnEnumeration: a mapping that writes a
// payload's value into a property the account made a dropdown (its option
// values "Direct", "Extra") passed the check without a word, and every lead
// whose value is not an option's ("extra") was refused and dead-lettered.
// The check cannot know the payload's values, but now warns, naming the
// option values.
func TestCheckWarnsOfPayloadValuesInAnEnumeration(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_enquiry_type", Label: "Enquiry type", Type: "enumeration", FieldType: "select",
		Options: []crmfake.Option{{Label: "Direct", Value: "Direct"}, {Label: "Extra", Value: "Extra"}}})
	fs, err := a.Check(context.Background(), []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "syncd_enquiry_type", Dynamic: true, Where: "lokalebasen.yaml:47"},
		{Kind: syncd.RecordContact, Name: "lifecyclestage", Values: []string{"lead"}}})
	if err != nil || syncd.Failed(fs) {
		t.Fatalf("%+v %v", fs, err)
	}
	if len(fs) != 1 || fs[0].Name != "syncd_enquiry_type" || !strings.Contains(fs[0].Problem, "lokalebasen.yaml:47") ||
		!strings.Contains(fs[0].Problem, "Direct, Extra") {
		t.Fatalf("%+v", fs)
	}
}

// TestLeadIDPropertyOfAnotherName: an account whose lead-id property has
// another name (crm.hubspot.lead_id_property) works once `crm setup` made
// it with unique values, as HubSpot upserts by any unique property. The
// stand-in took only its own default name as idProperty: the check passed
// and every deal was dead-lettered ("idProperty agency_lead_ref is not a
// unique identifier property").
func TestLeadIDPropertyOfAnotherName(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{DealKeyProperty: "agency_lead_ref"})
	sp := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "dealname"}}
	if _, err := a.Setup(context.Background(), sp, false); err != nil {
		t.Fatal(err)
	}
	if fs, err := a.Check(context.Background(), sp); err != nil || syncd.Failed(fs) {
		t.Fatalf("check after setup: %+v %v", fs, err)
	}
	cs, ds := leads(3)
	for i := range cs {
		delete(cs[i].Properties, "name") // Pipedrive's
		delete(ds[i].Properties, "title")
	}
	for round := 0; round < 2; round++ {
		cr, dr := deliver(t, a, cs, ds, 1)
		for i := range dr {
			if cr[i].Err != nil || dr[i].Err != nil {
				t.Fatalf("round %d lead %d: %v / %v", round, i, cr[i].Err, dr[i].Err)
			}
		}
	}
	if n := len(srv.State().Deals); n != 3 {
		t.Fatalf("%d deals for 3 leads sent twice", n)
	}
}

// TestPartialBatchMissingPropertyPauses: HubSpot answers a batch whose
// inputs carry trace ids with 207, failing only the inputs that carry a
// property the account does not have (a property written only when the
// payload has it, deleted in HubSpot since). That is the account's fault,
// as for a 400: the input waits behind a pause naming the property. It was
// dead-lettered as the lead's own fault.
func TestPartialBatchMissingPropertyPauses(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActError, Status: 207, Uses: 1,
		Body: `{"status":"COMPLETE","numErrors":1,
		 "results":[{"id":"901","properties":{"email":"lead00000@example.com"},"objectWriteTraceId":"syncd-0"}],
		 "errors":[{"status":"error","category":"VALIDATION_ERROR",
		  "message":"Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"syncd_requested_url\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"syncd_requested_url\"}]",
		  "context":{"objectWriteTraceId":["syncd-1"]}}]}`})
	cs, _ := leads(2)
	cs[1].Properties["syncd_requested_url"] = "https://example.com/x"
	res := a.UpsertContacts(context.Background(), cs)
	if res[0].Err != nil || res[0].ID != "901" {
		t.Fatalf("the good input: %+v", res[0])
	}
	var ce *syncd.CRMError
	if !errors.As(res[1].Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != "syncd_requested_url" {
		t.Fatalf("the input with the missing property: %v (class %v)", res[1].Err, crmtest.Class(res[1].Err))
	}
}

// TestPartialBatchAccountRefusalPauses: HubSpot answers a batch upsert with
// a 207 failing one deal for what fails every lead alike, the account's
// doing: a stage (or pipeline, or owner) deleted under the mappings, a
// property HubSpot calculates. A 400 saying so is a configuration error (the
// syncer pauses, its check names the stage); in a 207 each such deal was
// dead-lettered as the lead's own fault. Now it is the same configuration
// error; an option the lead's own payload chose stays the lead's.
func TestPartialBatchAccountRefusalPauses(t *testing.T) {
	t.Parallel()
	list := func(code, name, msg string) string {
		return `Property values were not valid: [{"isValid":false,"message":"` + msg + `","error":"` + code + `","name":"` + name + `"}]`
	}
	for _, tc := range []struct {
		name, message, property string
		class                   syncd.ErrClass
	}{
		{"stage deleted", list("INVALID_OPTION", "dealstage", "appointmentscheduled is not a valid pipeline stage ID. Valid options are: pipelineId=default : [qualifiedtobuy]"), "dealstage", syncd.ErrConfig},
		{"owner deleted", list("INVALID_OPTION", "hubspot_owner_id", "77 was not one of the allowed options: [12, 13]"), "hubspot_owner_id", syncd.ErrConfig},
		{"calculated", list("READ_ONLY_VALUE", "hs_object_id", "hs_object_id is a calculated property; its value cannot be set."), "hs_object_id", syncd.ErrConfig},
		{"the lead's option", list("INVALID_OPTION", "syncd_enquiry_type", "nope was not one of the allowed options: [client]"), "syncd_enquiry_type", syncd.ErrPermanent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
			cs, ds := leads(2)
			cr := a.UpsertContacts(context.Background(), cs)
			for i := range cr {
				if cr[i].Err != nil {
					t.Fatal(cr[i].Err)
				}
				ds[i].ContactID = cr[i].ID
			}
			srv.AddFault(crmfake.Fault{Method: "POST", Path: dealsUpsert, Action: crmfake.ActPartial, Uses: 1,
				Category: "VALIDATION_ERROR", Message: tc.message})
			r := a.UpsertDeals(context.Background(), ds)
			failed := 0
			for i, res := range r {
				if res.Err == nil {
					continue
				}
				failed++
				var ce *syncd.CRMError
				if !errors.As(res.Err, &ce) || ce.Class != tc.class || ce.Property != tc.property {
					t.Errorf("deal %d: %v (class %v); want class %v naming %s", i, res.Err, crmtest.Class(res.Err), tc.class, tc.property)
				}
			}
			if failed != 1 {
				t.Fatalf("%d deals failed, want the one the 207 names: %+v", failed, r)
			}
		})
	}
}

// TestStageNotFoundSaysWhereItWasLookedFor: a deal stage no pipeline has
// was "not a stage of the pipeline(s) written", also when the mappings
// write no pipeline. Written without a pipeline, the stage is looked for
// in the default pipeline, where HubSpot puts such a deal; written with a
// pipeline from the payload, in every pipeline of the account.
func TestStageNotFoundSaysWhereItWasLookedFor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		specs []syncd.FieldSpec
		want  string
	}{
		{[]syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"default"}},
			{Kind: syncd.RecordDeal, Name: "dealstage", Values: []string{"nosuchstage"}}}, `deal stage "nosuchstage" is not a stage of the pipeline written`},
		{[]syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "dealstage", Values: []string{"nosuchstage"}}},
			`deal stage "nosuchstage" is not a stage of the default pipeline, where HubSpot puts a deal written without "pipeline"`},
		{[]syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "pipeline", Dynamic: true},
			{Kind: syncd.RecordDeal, Name: "dealstage", Values: []string{"nosuchstage"}}}, `deal stage "nosuchstage" is not a stage of any pipeline of the account`},
	} {
		_, a := setup(t, crmfake.Options{}, hubspot.Options{})
		fs, err := a.Check(context.Background(), tc.specs)
		if err != nil {
			t.Fatal(err)
		}
		if p := problems(fs)["dealstage"]; !strings.HasPrefix(p, tc.want) {
			t.Errorf("dealstage: %q, want %q", p, tc.want)
		}
	}
}

// TestStageOfAnotherPipelineNamesItsPipeline: an account with a second
// pipeline (Lettings), the mappings writing its stage without the
// pipeline, or with the default one. HubSpot checks a stage against the
// pipeline written, else the default one (docs/crm-contracts.md): both
// are problems, whose fix names the pipeline the stage is in. Written
// without a pipeline, the stage passed (looked for in every pipeline) and
// every deal was refused.
func TestStageOfAnotherPipelineNamesItsPipeline(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	srv.SetPipelines([]crmfake.Pipeline{
		{ID: "default", Label: "Sales Pipeline", Stages: []crmfake.Stage{{ID: "appointmentscheduled", Label: "Appointment scheduled"}}},
		{ID: "1234", Label: "Lettings", Stages: []crmfake.Stage{{ID: "5678", Label: "New enquiry"}}},
	})
	stage := syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "dealstage", Values: []string{"5678"},
		ValueWhere: map[string]string{"5678": "eaf.yaml:47"}, ValuePlaces: map[string][]string{"5678": {"eaf.yaml:47"}}}
	for _, tc := range []struct {
		name  string
		specs []syncd.FieldSpec
		want  string
	}{
		{"no pipeline", []syncd.FieldSpec{stage}, `deal stage "5678" is not a stage of the default pipeline, where HubSpot puts a deal written without "pipeline" | ` +
			`it is a stage of pipeline 1234 (Lettings): write that pipeline's id as pipeline beside it (pipeline: {const: "1234"}) in eaf.yaml:47; or write a stage of pipeline default there`},
		{"the default pipeline", []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"default"}}, stage},
			`deal stage "5678" is not a stage of the pipeline written | it is a stage of pipeline 1234 (Lettings)`},
	} {
		fs, err := a.Check(context.Background(), tc.specs)
		if err != nil {
			t.Fatal(err)
		}
		if p := problems(fs)["dealstage"]; !strings.HasPrefix(p, tc.want) {
			t.Errorf("%s: dealstage: %q, want %q", tc.name, p, tc.want)
		}
		for _, f := range fs {
			if f.Severity == syncd.SevWarn && f.Name == "pipeline" {
				t.Errorf("%s: a warning beside the stage's row, which says what to write: %s | %s", tc.name, f.Problem, f.Fix)
			}
		}
	}
	// A stage of the default pipeline written alone: ready, with a warning
	// saying where the deals go.
	fs, err := a.Check(context.Background(), []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "dealstage", Values: []string{"appointmentscheduled"},
		Places: []string{"eaf.yaml:47"}}})
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := problems(fs)["dealstage"]; ok {
		t.Errorf("a stage of the default pipeline: %s", p)
	}
	warned := false
	for _, f := range fs {
		warned = warned || f.Severity == syncd.SevWarn && f.Name == "pipeline" &&
			strings.HasSuffix(f.Problem, "HubSpot puts every deal in the default one, default (Sales Pipeline)") &&
			strings.HasPrefix(f.Fix, "nothing, if that is the pipeline meant; else write the id of the one meant as pipeline beside dealstage (pipeline: {const: ID}) in eaf.yaml:47")
	}
	if !warned {
		t.Errorf("no warning saying where the deals go: %+v", fs)
	}
	// Lettings written beside its stage: ready.
	fs, err = a.Check(context.Background(), []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"1234"}}, stage})
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := problems(fs)["dealstage"]; ok {
		t.Errorf("Lettings and its stage: %s", p)
	}
}

// TestStageCheckedAgainstItsOwnRulesPipeline: the mappings' Writes pair
// each rule's deal stage with the pipeline the same rule writes. A stage of
// Lettings passes in a rule writing Lettings and in one writing a pipeline
// from the payload; in two rules writing the default pipeline it is one
// problem naming both rules' stage lines, and no other. Before, a stage was
// looked for in every pipeline any rule wrote: with one rule writing from
// the payload, every stage passed.
func TestStageCheckedAgainstItsOwnRulesPipeline(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	srv.SetPipelines([]crmfake.Pipeline{
		{ID: "default", Label: "Sales Pipeline", Stages: []crmfake.Stage{{ID: "appointmentscheduled", Label: "Appointment scheduled"}}},
		{ID: "1234", Label: "Lettings", Stages: []crmfake.Stage{{ID: "5678", Label: "New enquiry"}}},
	})
	pipe := syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"1234", "default"}, Dynamic: true, Writes: []syncd.Write{
		{Rule: "a.yaml:3", At: "a.yaml:5", Dynamic: true},
		{Rule: "b.yaml:3", At: "b.yaml:5", Values: []string{"default"}},
		{Rule: "c.yaml:3", At: "c.yaml:5", Values: []string{"default"}},
		{Rule: "d.yaml:3", At: "d.yaml:5", Values: []string{"1234"}},
	}}
	stage := syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "dealstage", Values: []string{"5678", "appointmentscheduled"}, Writes: []syncd.Write{
		{Rule: "a.yaml:3", At: "a.yaml:6", Values: []string{"5678"}},
		{Rule: "b.yaml:3", At: "b.yaml:6", Values: []string{"5678", "appointmentscheduled"}},
		{Rule: "c.yaml:3", At: "c.yaml:6", Values: []string{"5678"}},
		{Rule: "d.yaml:3", At: "d.yaml:6", Values: []string{"5678"}},
	}}
	fs, err := a.Check(context.Background(), []syncd.FieldSpec{pipe, stage})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		if f.Name == "dealstage" {
			got = append(got, f.Problem+" | "+f.Fix)
		}
	}
	want := `deal stage "5678" is not a stage of the pipeline written | it is a stage of pipeline 1234 (Lettings): write that pipeline's id as pipeline beside it (pipeline: {const: "1234"}) in b.yaml:6, c.yaml:6; or write a stage of pipeline default there`
	if len(got) != 1 || got[0] != want {
		t.Errorf("dealstage findings %q, want one: %q", got, want)
	}
}
