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

// TestPipedrivesOwnFieldIsNoCustomField: the mappings name fields as a
// person sees them in Pipedrive, whose Fields API lists its own fields
// beside the custom ones. A mapping wrote "Expected close date" (Pipedrive's
// own, expected_close_date): the check called it ready and syncd sent the
// date in custom_fields, whose keys are the custom fields' 40-character
// hashes, so it never reached the deal's date. Mappings wrote label_ids and
// user_id (API names syncd does not write, the second v1's for the owner):
// crm setup made custom text fields of those names, which nobody reads.
// The check now names each with what to write instead, setup makes none,
// and the deal is not sent (the account's configuration error, a pause).
func TestPipedrivesOwnFieldIsNoCustomField(t *testing.T) {
	t.Parallel()
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "Expected close date", Dynamic: true, Where: "pipedrive/eaf.yaml:50"},
		{Kind: syncd.RecordDeal, Name: "label_ids", Values: []string{"3"}, Where: "pipedrive/eaf.yaml:51"},
		{Kind: syncd.RecordDeal, Name: "user_id", Values: []string{"2"}, Where: "pipedrive/eaf.yaml:52"},
	}
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{Fields: specs})
	ctx := context.Background()
	fs, err := a.Check(ctx, specs)
	if err != nil {
		t.Fatal(err)
	}
	e := errorsOf(fs)
	for name, want := range map[string]string{
		"Expected close date": "write it by its API name, expected_close_date, in pipedrive/eaf.yaml:50",
		"label_ids":           "syncd does not write it: take it out of pipedrive/eaf.yaml:51",
		"user_id":             "write owner_id instead in pipedrive/eaf.yaml:52",
	} {
		if !strings.Contains(e[name], "one of Pipedrive's own deal fields") || !strings.Contains(e[name], want) {
			t.Errorf("%s: %q, want %q", name, e[name], want)
		}
	}
	before := len(srv.Fields("deal"))
	acts, err := a.Setup(ctx, specs, false)
	if err != nil || len(srv.Fields("deal")) != before {
		t.Fatalf("setup: %+v, %v; %d deal fields, %d before", acts, err, len(srv.Fields("deal")), before)
	}
	for _, act := range acts {
		if act.Name != crmfake.DefaultPipedriveLeadField && !strings.HasPrefix(act.What, "cannot") {
			t.Errorf("setup: %+v", act)
		}
	}
	cs, ds := crmtest.Leads(1)
	ds[0].Properties["Expected close date"] = "2026-12-24"
	_, dr := crmtest.Deliver(ctx, a, cs, ds, 1)
	var ce *syncd.CRMError
	if !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrConfig || !strings.Contains(ce.Message, "expected_close_date") {
		t.Fatalf("the deal: %+v", dr[0])
	}
	if n := srv.CountRequests("POST", "/api/v2/deals", 0); n != 0 {
		t.Fatalf("%d deals sent", n)
	}
}
