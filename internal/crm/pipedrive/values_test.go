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

// TestValueRefusedForItsTypeNamesTheField: a lead's value its field's type
// cannot take ("ca. 200 m2" for a number, a deal value with currency text)
// is that lead's: refused for good (a dead letter) naming the field, so
// that the dead letter's line says which field of which lead. "NaN" and
// "Inf", which Go reads as numbers and JSON cannot carry, are no numbers
// either: they failed the request as a whole, retried until given up.
func TestValueRefusedForItsTypeNamesTheField(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{})
	srv.AddField("deal", crmfake.Field{Name: "Budget", Type: "double"})
	cs, ds := crmtest.Leads(4)
	cr, _ := crmtest.Deliver(context.Background(), a, cs, nil, 1)
	bad := map[int]struct{ prop, v string }{0: {"Budget", "ca. 200 m2"}, 1: {"Budget", "NaN"}, 2: {"value", "450.000 kr"}}
	for i := range ds {
		ds[i].ContactID = cr[i].ID
		ds[i].Properties = map[string]string{"title": "T", "Budget": "200"}
		if b, ok := bad[i]; ok {
			ds[i].Properties[b.prop] = b.v
		}
	}
	for i, r := range a.UpsertDeals(context.Background(), ds) {
		var ce *syncd.CRMError
		b, isBad := bad[i]
		switch {
		case !isBad && (r.Err != nil || r.ID == ""):
			t.Errorf("deal %d: %+v", i, r)
		case isBad && (!errors.As(r.Err, &ce) || ce.Class != syncd.ErrPermanent || ce.Property != b.prop):
			t.Errorf("deal %d (%s %q): %v", i, b.prop, b.v, r.Err)
		}
	}
}

// TestPayloadValueNotAnOptionIsTheLeadsAlone: an enum field the mappings
// fill from the payload, and a lead whose value is none of its options:
// the adapter took it for an option deleted in Pipedrive and paused every
// lead (two minutes, an alarm to fix an account crm check calls ready),
// then dead-lettered it. A value no mapping writes as a constant is the
// lead's own: it alone is refused for good, naming the field; a constant
// that is no option is still the account's (a pause).
func TestPayloadValueNotAnOptionIsTheLeadsAlone(t *testing.T) {
	t.Parallel()
	fields := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "Enquiry type", Dynamic: true, Values: []string{"client"}}}
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{Fields: fields})
	srv.AddField("deal", crmfake.Field{Name: "Enquiry type", Type: "enum", Options: []crmfake.PDOption{{Label: "extra"}}})
	cs, ds := crmtest.Leads(2)
	cr, _ := crmtest.Deliver(context.Background(), a, cs, nil, 1)
	want := []syncd.ErrClass{syncd.ErrPermanent, syncd.ErrConfig}
	for i, v := range []string{"matched", "client"} {
		ds[i].ContactID = cr[i].ID
		ds[i].Properties = map[string]string{"title": "T", "Enquiry type": v}
		r := a.UpsertDeals(context.Background(), ds[i:i+1])[0]
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) || ce.Class != want[i] || ce.Property != "Enquiry type" {
			t.Errorf("deal %d (%s): %v, want class %v", i, v, r.Err, want[i])
		}
	}
}

// TestCheckFindsAnAmountWithoutACurrency: a constant amount the mappings
// write into a monetary field, without a currency in it, and no deal
// currency written beside it: syncd refuses every such lead (it cannot
// tell Pipedrive the currency), yet crm check judged the amount as if a
// currency were there and called the account ready. It is now an error
// naming the field; with the deal's currency written, or the currency in
// the value, it is not.
func TestCheckFindsAnAmountWithoutACurrency(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	srv.AddField("deal", crmfake.Field{Name: "Price", Type: "monetary"})
	price := syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "Price", Type: "monetary", Values: []string{"450000"}, Where: "x.yaml:9"}
	title := syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "title", Dynamic: true}
	currency := syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "currency", Values: []string{"DKK"}}
	withCur := price
	withCur.Values = []string{"450000 DKK"}
	for _, c := range []struct {
		specs []syncd.FieldSpec
		bad   bool
	}{{[]syncd.FieldSpec{title, price}, true}, {[]syncd.FieldSpec{title, price, currency}, false}, {[]syncd.FieldSpec{title, withCur}, false}} {
		fs, err := a.Check(context.Background(), c.specs)
		if err != nil {
			t.Fatal(err)
		}
		p, bad := errorsOf(fs)["Price"]
		if bad != c.bad || bad && !strings.Contains(p, "currency") {
			t.Errorf("specs %v: Price finding %q, want one: %v", c.specs, p, c.bad)
		}
	}
}

// TestDeclaredOptionMissingPausesTheLeads: the mappings' fields: section
// declares the options of an enum or set field the payload fills (client,
// extra); an admin renames "extra" in Pipedrive. `syncd crm check` calls
// that the account's fault, and the daemon's check said the leads would
// wait, yet each lead carrying "extra" was dead-lettered as its own. It is
// now the account's (a pause, lifted once the check passes); a value that
// is no declared option, and one besides a declared option still there,
// stay the lead's own.
func TestDeclaredOptionMissingPausesTheLeads(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"enum", "set"} {
		fields := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "Enquiry type", Type: typ, Dynamic: true, Options: []string{"client", "extra"}}}
		srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{Fields: fields})
		srv.AddField("deal", crmfake.Field{Name: "Enquiry type", Type: typ, Options: []crmfake.PDOption{{Label: "client"}, {Label: "Extra (matched)"}}})
		cs, ds := crmtest.Leads(3)
		cr, _ := crmtest.Deliver(context.Background(), a, cs, nil, 1)
		want := []syncd.ErrClass{syncd.ErrConfig, syncd.ErrPermanent, syncd.ErrPermanent}
		for i, v := range []string{"Extra", "matched", "client; matched"} {
			ds[i].ContactID = cr[i].ID
			ds[i].Properties = map[string]string{"title": "T", "Enquiry type": v}
			r := a.UpsertDeals(context.Background(), ds[i:i+1])[0]
			var ce *syncd.CRMError
			if !errors.As(r.Err, &ce) || ce.Class != want[i] || ce.Property != "Enquiry type" {
				t.Errorf("%s deal %d (%s): %v, want class %v", typ, i, v, r.Err, want[i])
			}
		}
	}
}
