package pipedrive_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

func pdSpecs() []syncd.FieldSpec {
	return []syncd.FieldSpec{
		{Kind: syncd.RecordContact, Name: "name", Dynamic: true},
		{Kind: syncd.RecordContact, Name: "Company", Dynamic: true},
		{Kind: syncd.RecordDeal, Name: "title", Dynamic: true},
		{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"Pipeline"}},
		{Kind: syncd.RecordDeal, Name: "stage", Values: []string{"Qualified", "Contact Made"}},
		{Kind: syncd.RecordDeal, Name: "Budget", Type: "double", Dynamic: true},
		{Kind: syncd.RecordDeal, Name: "Enquiry date", Type: "date", Dynamic: true},
		{Kind: syncd.RecordDeal, Name: "Enquiry type", Type: "enum", Options: []string{"client", "extra"}, Values: []string{"client"}},
	}
}

func errorsOf(fs []syncd.Finding) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		if f.Severity == syncd.SevError {
			out[f.Name] = f.Problem + " | " + f.Fix
		}
	}
	return out
}

func TestPipedriveCheckSetupCheck(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	ctx := context.Background()
	fs, err := a.Check(ctx, pdSpecs())
	if err != nil {
		t.Fatal(err)
	}
	p := errorsOf(fs)
	if len(p) != 4 || !strings.Contains(p["Budget"], "crm setup") || !strings.Contains(p["Company"], `no person field named "Company"`) {
		t.Fatalf("before setup: %v", p)
	}
	before := len(srv.Fields("deal"))
	dry, err := a.Setup(ctx, pdSpecs(), true)
	if err != nil || len(srv.Fields("deal")) != before {
		t.Fatalf("dry run %+v %v (%d deal fields)", dry, err, len(srv.Fields("deal")))
	}
	if _, err := a.Setup(ctx, pdSpecs(), false); err != nil {
		t.Fatal(err)
	}
	again, _ := a.Setup(ctx, pdSpecs(), false)
	for _, act := range again {
		if act.What != "exists" {
			t.Fatalf("second setup: %+v", act)
		}
	}
	if fs, _ := a.Check(ctx, pdSpecs()); syncd.Failed(fs) {
		t.Fatalf("after setup: %v", errorsOf(fs))
	}
}

func TestPipedriveCheckFindings(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	srv.AddField("deal", crmfake.Field{Name: "Source", Type: "varchar"})
	srv.AddField("deal", crmfake.Field{Name: "Source", Type: "text"})
	srv.AddField("deal", crmfake.Field{Name: "Kind", Type: "enum", Options: []crmfake.PDOption{{Label: "a"}}})
	srv.SetPDPipelines([]crmfake.PDPipeline{
		{ID: 1, Name: "Sales", Stages: []crmfake.PDStage{{ID: 1, Name: "New"}}},
		{ID: 2, Name: "Rentals", Stages: []crmfake.PDStage{{ID: 2, Name: "New"}}},
	})
	fs, _ := a.Check(context.Background(), []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "Source"},
		{Kind: syncd.RecordDeal, Name: "Kind", Values: []string{"b"}},
		{Kind: syncd.RecordDeal, Name: "stage", Values: []string{"New"}},
		{Kind: syncd.RecordDeal, Name: "owner_id", Values: []string{"77"}},
		{Kind: syncd.RecordDeal, Name: "0123456789abcdef0123456789abcdef01234567"},
	})
	p := errorsOf(fs)
	for name, want := range map[string]string{"Source": "2 deal fields", "Kind": "not an option", "stage": "write the pipeline",
		"owner_id": "no user", "0123456789abcdef0123456789abcdef01234567": "another account"} {
		if !strings.Contains(p[name], want) {
			t.Errorf("%s: %q, want %q", name, p[name], want)
		}
	}
}

// TestPipedriveCheckDeactivatedOwner: Pipedrive deletes no user; one who
// left is deactivated, and still listed. A mapping that gives the leads to
// such a user passed the check, though nobody would work them.
func TestPipedriveCheckDeactivatedOwner(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	srv.DeactivateUser(2)
	fs, _ := a.Check(context.Background(), []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "owner_id", Values: []string{"1", "2"}, ValueWhere: map[string]string{"2": "pipedrive/eaf.yaml:40"}},
	})
	if len(fs) != 1 || fs[0].Severity != syncd.SevError || !strings.Contains(fs[0].Problem, "user 2 is deactivated in Pipedrive") ||
		fs[0].Fix != "write the id of an active user in pipedrive/eaf.yaml:40" {
		t.Fatalf("findings %+v", fs)
	}
}

func TestPipedriveCheckBadToken(t *testing.T) {
	t.Parallel()
	_, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Token: "wrong"})
	fs, _ := a.Check(context.Background(), pdSpecs())
	if len(fs) != 1 || fs[0].Name != "token" {
		t.Fatalf("%+v", fs)
	}
}

// TestTypedValuesByName: fields, pipeline and stage named as a person sees
// them reach Pipedrive as keys and ids, each value typed for its field
// (the fake refuses strings for numbers and dates, as API v2 does).
func TestTypedValuesByName(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{})
	budget := srv.AddField("deal", crmfake.Field{Name: "Budget", Type: "double"})
	price := srv.AddField("deal", crmfake.Field{Name: "Price", Type: "monetary"})
	when := srv.AddField("deal", crmfake.Field{Name: "Enquiry date", Type: "date"})
	kind := srv.AddField("deal", crmfake.Field{Name: "Enquiry type", Type: "enum", Options: []crmfake.PDOption{{Label: "client"}, {Label: "extra"}}})
	company := srv.AddField("person", crmfake.Field{Name: "Company", Type: "varchar"})
	srv.SetPDPipelines([]crmfake.PDPipeline{{ID: 7, Name: "Rentals", Stages: []crmfake.PDStage{{ID: 70, Name: "New"}, {ID: 71, Name: "Viewing"}}}})
	cs, ds := crmtest.Leads(1)
	delete(cs[0].Properties, "firstname")
	cs[0].Properties["Company"] = "Acme"
	ds[0].Properties = map[string]string{"title": "T", "Budget": "450000.5", "Price": "12000 dkk", "Enquiry date": "2026-11-29T10:00:00Z",
		"Enquiry type": "extra", "pipeline": "Rentals", "stage": "Viewing"}
	cr, dr := crmtest.Deliver(context.Background(), a, cs, ds, 1)
	if cr[0].Err != nil || dr[0].Err != nil {
		t.Fatalf("%v / %v", cr[0].Err, dr[0].Err)
	}
	st := srv.State()
	d := st.Deals[0].Properties
	want := map[string]string{"custom_fields." + budget: "450000.5", "custom_fields." + when: "2026-11-29",
		"custom_fields." + kind: "102", "stage_id": "71", "pipeline_id": "7"}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("%s = %q, want %q (deal %v)", k, d[k], v, d)
		}
	}
	if !strings.Contains(d["custom_fields."+price], "DKK") || st.Contacts[0].Properties["custom_fields."+company] != "Acme" {
		t.Fatalf("price %q, person %v", d["custom_fields."+price], st.Contacts[0].Properties)
	}
}

func TestUnknownFieldIsConfigError(t *testing.T) {
	t.Parallel()
	_, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	cs, _ := crmtest.Leads(1)
	cs[0].Properties["Favourite colour"] = "blue"
	r := a.UpsertContacts(context.Background(), cs)[0]
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != "Favourite colour" {
		t.Fatalf("got %v", r.Err)
	}
}

// TestCheckDeclaredOptionMissingInPipedrive: an option the mappings declare
// for an enum field, renamed (or deleted) in Pipedrive since setup, fails
// the check: every lead carrying it would pause the adapter, then be
// dead-lettered, while the check said the account was ready.
func TestCheckDeclaredOptionMissingInPipedrive(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	srv.AddField("deal", crmfake.Field{Name: "Enquiry type", Type: "enum", Options: []crmfake.PDOption{{Label: "Direct"}, {Label: "EXTRA"}}})
	fs, err := a.Check(context.Background(), []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "Enquiry type", Type: "enum",
		Options: []string{"client", "extra"}, Dynamic: true, Where: "pipedrive/lokalebasen.yaml:22"}})
	if err != nil {
		t.Fatal(err)
	}
	p := errorsOf(fs)
	if len(p) != 1 || !strings.Contains(p["Enquiry type"], `"client"`) || strings.Contains(p["Enquiry type"], `"extra" is`) ||
		!strings.Contains(p["Enquiry type"], `"Direct"`) || !strings.Contains(p["Enquiry type"], "pipedrive/lokalebasen.yaml:22") {
		t.Fatalf("findings: %v", p)
	}
}

// TestPipedriveCheckRateLimitedSaysSo: a check whose read of the fields
// Pipedrive refused with 429, the token's burst limit or the company's
// daily token budget spent (by another integration, say), gave as its
// fix "check crm.pipedrive.base_url … and the network", which is not
// what is wrong. It says which limit is spent, that the account needs
// nothing, and when to run the check again.
func TestPipedriveCheckRateLimitedSaysSo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault crmfake.Fault
		want  []string
	}{
		{crmfake.Fault{Path: "/api/v2/dealFields", Action: crmfake.ActRateLimit, RetryAfter: "120"}, []string{"another integration", "again in 2 minutes"}},
		{crmfake.Fault{Path: "/api/v2/dealFields", Action: crmfake.ActDailyLimit}, []string{"daily token budget", "midnight"}},
	} {
		srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
		srv.AddFault(tc.fault)
		fs, err := a.Check(context.Background(), pdSpecs())
		if err != nil || len(fs) != 1 {
			t.Fatalf("%s: %+v %v; want one row", tc.fault.Action, fs, err)
		}
		t.Logf("%s: %s | %s", tc.fault.Action, fs[0].Problem, fs[0].Fix)
		for _, w := range tc.want {
			if f := fs[0].Fix; strings.Contains(f, "base_url") || !strings.Contains(f, w) {
				t.Errorf("%s: fix %q; want %q in it, and no base_url", tc.fault.Action, f, w)
			}
		}
	}
}
