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

// TestCheckNamesASystemFieldsConstantPipedriveCannotTake: a mapping wrote
// visible_to "Entire company" (the words Pipedrive's screen shows), a
// person's visible_to 2, an org_id by its name, a deal value with words in
// it and a stage by its name into stage_id (which the check of stages took
// by name). crm check called the account ready, and then every lead's
// deal or person was refused and dead-lettered; it now names each.
func TestCheckNamesASystemFieldsConstantPipedriveCannotTake(t *testing.T) {
	t.Parallel()
	_, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	bad := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "visible_to", Values: []string{"Entire company"}, Where: "pipedrive/eaf.yaml:40"},
		{Kind: syncd.RecordContact, Name: "visible_to", Values: []string{"2"}, Where: "pipedrive/eaf.yaml:30"},
		{Kind: syncd.RecordDeal, Name: "org_id", Values: []string{"Acme Estates"}, Where: "pipedrive/eaf.yaml:41"},
		{Kind: syncd.RecordDeal, Name: "value", Values: []string{"ca. 450.000"}, Where: "pipedrive/eaf.yaml:42"},
		{Kind: syncd.RecordDeal, Name: "stage_id", Values: []string{"Qualified"}, Where: "pipedrive/eaf.yaml:43"},
	}
	good := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "visible_to", Values: []string{"3"}, Where: "pipedrive/lb.yaml:40"},
		{Kind: syncd.RecordContact, Name: "visible_to", Values: []string{"7"}, Where: "pipedrive/lb.yaml:30"},
		{Kind: syncd.RecordContact, Name: "org_id", Values: []string{"12"}, Where: "pipedrive/lb.yaml:31"},
		{Kind: syncd.RecordDeal, Name: "value", Values: []string{"450000"}, Where: "pipedrive/lb.yaml:42"},
		{Kind: syncd.RecordDeal, Name: "currency", Values: []string{"DKK"}, Where: "pipedrive/lb.yaml:43"},
		{Kind: syncd.RecordDeal, Name: "stage_id", Values: []string{"2"}, Where: "pipedrive/lb.yaml:44"},
	}
	fs, err := a.Check(context.Background(), append(append([]syncd.FieldSpec(nil), bad...), good...))
	if err != nil {
		t.Fatal(err)
	}
	said := map[string]bool{}
	for _, f := range fs {
		if f.Severity != syncd.SevError {
			continue
		}
		found := false
		for _, s := range bad {
			if f.Object == map[syncd.RecordKind]string{syncd.RecordDeal: "deals", syncd.RecordContact: "persons"}[s.Kind] && f.Name == s.Name &&
				strings.Contains(f.Problem, s.Values[0]) && strings.Contains(f.Fix, s.Where) {
				found, said[s.Where] = true, true
			}
		}
		if !found {
			t.Errorf("a finding of no bad constant: %+v", f)
		}
	}
	if len(said) != len(bad) {
		t.Fatalf("named %v of %d bad constants: %+v", said, len(bad), fs)
	}
	if fs, _ := a.Check(context.Background(), good); syncd.Failed(fs) {
		t.Fatalf("good constants: %+v", fs)
	}
}

// TestSystemConstantPipedriveCannotTakePauses: every lead's deal carried
// the mapping's visible_to "Entire company", which syncd cannot send as
// the number Pipedrive takes: each was dead-lettered, one by one. It is
// now the account's configuration error, naming the value and where the
// mappings write it (the syncer pauses until crm check passes); the same
// value from a lead's payload stays that lead's own.
func TestSystemConstantPipedriveCannotTakePauses(t *testing.T) {
	t.Parallel()
	spec := syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "visible_to", Values: []string{"Entire company"}, Where: "pipedrive/eaf.yaml:40"}
	_, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Fields: []syncd.FieldSpec{spec}})
	cs, ds := crmtest.Leads(2)
	ds[0].Properties["visible_to"] = "Entire company"
	ds[1].Properties["visible_to"] = "Owner only"
	_, dr := crmtest.Deliver(context.Background(), a, cs, ds, 1)
	var ce *syncd.CRMError
	if !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != "visible_to" ||
		!strings.Contains(ce.Message, "pipedrive/eaf.yaml:40") || !strings.Contains(ce.Message, `"Entire company"`) {
		t.Fatalf("the mapping's constant: %v", dr[0].Err)
	}
	spec.Dynamic = true // the second lead's value came from its payload
	a.SetFields([]syncd.FieldSpec{spec})
	_, dr = crmtest.Deliver(context.Background(), a, cs, ds, 1)
	if !errors.As(dr[1].Err, &ce) || ce.Class != syncd.ErrPermanent || ce.Property != "visible_to" {
		t.Fatalf("the payload's value: %v", dr[1].Err)
	}
}

// TestVisibilityPipedriveDoesNotTakeIsNotSent: a lead's payload gave its
// deal visible_to 2, which Pipedrive answers 403 as it does a permission
// the token's user lacks: the whole sync paused for one lead's value. It
// is now refused before it is sent, that lead's own (a dead letter); the
// same number as the mappings' constant is the account's, a pause naming
// it.
func TestVisibilityPipedriveDoesNotTakeIsNotSent(t *testing.T) {
	t.Parallel()
	spec := syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "visible_to", Dynamic: true, Where: "pipedrive/eaf.yaml:40"}
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Fields: []syncd.FieldSpec{spec}})
	cs, ds := crmtest.Leads(1)
	ds[0].Properties["visible_to"] = "2"
	_, dr := crmtest.Deliver(context.Background(), a, cs, ds, 1)
	var ce *syncd.CRMError
	if !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrPermanent || ce.Property != "visible_to" || ce.Status != 0 {
		t.Fatalf("the payload's value: %v", dr[0].Err)
	}
	if n := srv.CountRequests("POST", "/api/v2/deals", 0); n != 0 {
		t.Fatalf("%d deals sent", n)
	}
	spec.Values, spec.Dynamic = []string{"2"}, false
	a.SetFields([]syncd.FieldSpec{spec})
	_, dr = crmtest.Deliver(context.Background(), a, cs, ds, 1)
	if !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrConfig || !strings.Contains(ce.Message, "pipedrive/eaf.yaml:40") {
		t.Fatalf("the mappings' constant: %v", dr[0].Err)
	}
}

// TestVisibilityThePlanLacksIsSaid: a mapping writes visible_to 5 (the
// owner's visibility group and sub-groups) into an account whose plan has
// no visibility groups. Pipedrive answers 403, and syncd paused saying a
// permission was refused, sending the operator to the user's permission
// set or an admin's token, neither of which helps. The pause's reason now
// names the value, where it is written, and the values every plan takes.
func TestVisibilityThePlanLacksIsSaid(t *testing.T) {
	t.Parallel()
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "visible_to", Values: []string{"5"}, Where: "pipedrive/eaf.yaml:40"},
		{Kind: syncd.RecordContact, Name: "visible_to", Values: []string{"7"}, Where: "pipedrive/eaf.yaml:30"},
	}
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Fields: specs})
	srv.SetPDVisibilityGroups(false)
	cs, ds := crmtest.Leads(2)
	cs[1].Properties["visible_to"] = "7"
	ds[0].Properties["visible_to"] = "5"
	cr, dr := crmtest.Deliver(context.Background(), a, cs, ds, 1)
	if cr[0].Err != nil || dr[1].Err != nil {
		t.Fatalf("records without visible_to: %v %v", cr[0].Err, dr[1].Err)
	}
	for i, r := range []syncd.Result{cr[1], dr[0]} {
		var ce *syncd.CRMError
		where := specs[1-i].Where
		if !errors.As(r.Err, &ce) || ce.Status != 403 || ce.Class != syncd.ErrAuth ||
			!strings.Contains(ce.Message, "visible_to "+specs[1-i].Values[0]) || !strings.Contains(ce.Message, where) ||
			!strings.Contains(ce.Message, "write 1 or 3") {
			t.Errorf("record %d: %v", i, r.Err)
		}
	}
	srv.SetPDVisibilityGroups(true)
	if cr, dr = crmtest.Deliver(context.Background(), a, cs, ds, 2); failing(cr) || failing(dr) {
		t.Fatalf("with visibility groups: %+v %+v", cr, dr)
	}
}
