package pipedrive_test

import (
	"context"
	"errors"
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
