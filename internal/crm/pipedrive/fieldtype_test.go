package pipedrive_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestFieldOfAnotherTypeIsTheAccounts: the account has a deal field
// "syncd enquiry at" made by hand as a number, where the mappings declare
// a date. Every lead's date was refused alike as the lead's own value
// (INVALID_PROPERTY, a dead letter advising to enter the lead by hand),
// lead after lead, while syncd crm check named the field's type. It is now
// the account's configuration (ErrConfig, FIELD_TYPE): the syncer pauses
// and the leads wait, its words naming the field, both types and the
// mapping line, as syncd crm check's finding now does too ("the
// declaration in the mappings"). A value the declared type does not take
// either stays the lead's own.
func TestFieldOfAnotherTypeIsTheAccounts(t *testing.T) {
	t.Parallel()
	fields := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "syncd enquiry at", Type: "date", Where: "pipedrive/eaf.yaml:24"}}
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{Fields: fields})
	srv.AddField("deal", crmfake.Field{Name: "syncd enquiry at", Type: "double"})
	ctx := context.Background()
	c := syncd.Contact{Key: "typed@example.com", Email: "typed@example.com", Properties: map[string]string{"name": "Typed"}}
	pr := a.UpsertContacts(ctx, []syncd.Contact{c})[0]
	if pr.Err != nil {
		t.Fatalf("person: %+v", pr)
	}
	deal := func(lead, at string) *syncd.CRMError {
		t.Helper()
		d := syncd.Deal{LeadID: lead, ContactKey: c.Key, ContactID: pr.ID,
			Properties: map[string]string{"title": "Typed", "syncd enquiry at": at}}
		r := a.UpsertDeals(ctx, []syncd.Deal{d})[0]
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) {
			t.Fatalf("deal with %q: %+v; want a refusal", at, r)
		}
		return ce
	}
	ce := deal("typed-1", "2026-12-04")
	if ce.Class != syncd.ErrConfig || ce.Code != "FIELD_TYPE" || !ce.Plain {
		t.Errorf("a date for a number field the mappings declare a date: %+v; want the account's (ErrConfig FIELD_TYPE)", ce)
	}
	for _, w := range []string{`deal field "syncd enquiry at" in Pipedrive is of type double, the mappings declare date (pipedrive/eaf.yaml:24)`,
		"Pipedrive cannot change a field's type: delete the field in Pipedrive", "makes it a date field",
		"or declare it double in pipedrive/eaf.yaml:24"} {
		if !strings.Contains(ce.Message, w) {
			t.Errorf("message %q lacks %q", ce.Message, w)
		}
	}
	fs, err := a.Check(ctx, fields)
	found := false
	for _, f := range fs {
		found = found || f.Name == "syncd enquiry at" && strings.Contains(f.Fix, "declare it double in pipedrive/eaf.yaml:24")
	}
	if err != nil || !found {
		t.Errorf("syncd crm check's finding of the field's type names no mapping line: %+v, %v", fs, err)
	}
	if own := deal("typed-2", "soon"); own.Class != syncd.ErrPermanent || own.Code != "INVALID_PROPERTY" {
		t.Errorf("a value that is no date either: %+v; want the lead's own (ErrPermanent)", own)
	}
}

// TestSetupOfAFieldOfAnotherTypeIsNotDone: the account has a deal field
// "syncd enquiry at" made by hand as a number, where the mappings declare a
// date. `syncd crm setup` listed it as "exists double" and then said
// "done", exit 0, while `syncd crm check` flagged it and the adapter paused
// at the first lead on it (FIELD_TYPE). Setup's row is now "cannot fix"
// (which crm setup counts as not done, exit 2), naming both types and what
// to do, with the mapping's line; a text field declared as another text
// type stays "exists", as the check lets it be; dry runs say the same.
func TestSetupOfAFieldOfAnotherTypeIsNotDone(t *testing.T) {
	t.Parallel()
	fields := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "syncd enquiry at", Type: "date", Where: "pipedrive/eaf.yaml:24"},
		{Kind: syncd.RecordDeal, Name: "syncd message", Type: "text", Where: "pipedrive/eaf.yaml:25"},
	}
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{Fields: fields})
	srv.AddField("deal", crmfake.Field{Name: "syncd enquiry at", Type: "double"})
	srv.AddField("deal", crmfake.Field{Name: "syncd message", Type: "varchar"})
	ctx := context.Background()
	for _, dry := range []bool{true, false} {
		acts, err := a.Setup(ctx, fields, dry)
		if err != nil {
			t.Fatalf("setup (dry %v): %v", dry, err)
		}
		var typed, text *syncd.Action
		for i := range acts {
			switch acts[i].Name {
			case "syncd enquiry at":
				typed = &acts[i]
			case "syncd message":
				text = &acts[i]
			}
		}
		if typed == nil || typed.What != "cannot fix" {
			t.Fatalf("setup (dry %v) of a number field the mappings declare a date: %+v; want cannot fix", dry, acts)
		}
		for _, w := range []string{"exists as double", "the mappings declare date (pipedrive/eaf.yaml:24)",
			"Pipedrive cannot change a field's type: delete the field in Pipedrive", "run `syncd crm setup`, which makes it a date field",
			"or declare it double in pipedrive/eaf.yaml:24"} {
			if !strings.Contains(typed.Detail, w) {
				t.Errorf("setup (dry %v): detail %q lacks %q", dry, typed.Detail, w)
			}
		}
		if text == nil || text.What != "exists" {
			t.Errorf("setup (dry %v) of a varchar field declared text: %+v; want exists", dry, text)
		}
	}
}
