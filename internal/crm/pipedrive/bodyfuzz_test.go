package pipedrive_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// FuzzRecordBodies sends a person and a deal whose every text field holds
// text, and a deal whose every typed field (number, amount, date, yes/no,
// option) holds typed, to the stand-in Pipedrive (crmfake, over HTTP,
// strict about its schema; seeds: below, plus
// testdata/fuzz/FuzzRecordBodies). The text records go in, created and
// updated, holding text as sent, or cut to their field's limit with the mark; the typed deal goes
// in or fails for good, naming a property: a body Pipedrive cannot read
// would fail every retry the same.
func FuzzRecordBodies(f *testing.F) {
	for _, s := range []string{"Kim", "", " ", "450000", "450000 DKK", "2026-11-30", "true", "Yes", "NaN", "1e999",
		`"quoted" <b>&amp;</b> \ back`, "\x00\x01\x1f\x7f", "line\u2028sep", "ÆØÅ 🙂", "Yes;No", ";", strings.Repeat("Jensen 🙂", 40)} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, text, typed string) {
		if !utf8.ValidString(text) || !utf8.ValidString(typed) {
			return // the mappings send valid UTF-8 only (mapping's FuzzMapEvent)
		}
		// and trimmed values, leaving out empty ones
		text, typed = strings.TrimSpace(text), strings.TrimSpace(typed)
		srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{})
		company := srv.AddField("person", crmfake.Field{Name: "Company", Type: "varchar"})
		message := srv.AddField("deal", crmfake.Field{Name: "Message", Type: "text"})
		for _, typ := range []string{"double", "monetary", "date", "boolean", "int"} {
			srv.AddField("deal", crmfake.Field{Name: "A " + typ, Type: typ})
		}
		srv.AddField("deal", crmfake.Field{Name: "An option", Type: "enum", Options: []crmfake.PDOption{{ID: 1, Label: "Yes"}, {ID: 2, Label: "No"}}})
		cs, ds := crmtest.Leads(2)
		cs[0].Properties["name"], cs[0].Properties["Company"] = text, text
		ds[0].Properties["title"], ds[0].Properties["Message"] = text, text
		for _, name := range []string{"A double", "A monetary", "A date", "A boolean", "A int", "An option"} {
			ds[1].Properties[name] = typed
		}
		cr, dr := crmtest.Deliver(context.Background(), a, cs, ds, 3)
		if cr[0].Err != nil || cr[1].Err != nil || dr[0].Err != nil {
			t.Fatalf("text %q: person %+v, deal %+v", text, cr[0], dr[0])
		}
		if text != "" { // and again, as an update of the same records (PATCH)
			cs[0].Properties["Company"], ds[0].Properties["Message"] = "was "+text, "was "+text
			crmtest.Deliver(context.Background(), a, cs, ds, 3)
			cs[0].Properties["Company"], ds[0].Properties["Message"] = text, text
			if cr, dr := crmtest.Deliver(context.Background(), a, cs, ds, 3); cr[0].Err != nil || dr[0].Err != nil {
				t.Fatalf("text %q, updated: person %+v, deal %+v", text, cr[0], dr[0])
			}
		}
		var ce *syncd.CRMError
		if err := dr[1].Err; err != nil && (!errors.As(err, &ce) || (ce.Class != syncd.ErrPermanent && ce.Class != syncd.ErrConfig) || ce.Property == "") {
			t.Fatalf("typed %q: %v (%#v): not a permanent error naming a property", typed, err, ce)
		}
		st := srv.State()
		for _, c := range st.Contacts {
			if c.Properties["email"] == cs[0].Email {
				if text != "" {
					wantText(t, "person name", c.Properties["name"], text, 255)
				}
				wantText(t, "person company", c.Properties["custom_fields."+company], text, 255)
			}
		}
		for _, d := range st.Deals {
			if d.Properties["custom_fields."+crmfake.DefaultPipedriveLeadField] == ds[0].LeadID {
				if text != "" {
					wantText(t, "deal title", d.Properties["title"], text, 255)
				}
				wantText(t, "deal message", d.Properties["custom_fields."+message], text, 65000)
			}
		}
	})
}

// wantText fails t unless got is sent as it is, or cut to most characters
// with the mark that says so.
func wantText(t *testing.T, what, got, sent string, most int) {
	t.Helper()
	if got == sent {
		return
	}
	kept, _, cut := strings.Cut(got, " […] (cut by syncd")
	if !cut || !strings.HasPrefix(sent, kept) || len(utf16.Encode([]rune(got))) > most {
		t.Fatalf("%s: Pipedrive holds %q, sent %q", what, got, sent)
	}
}
