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

// TestTimeValueItsFieldCannotTakeIsTheLeads: a value a time, time range
// or date range field cannot take ("9 o'clock", one date for a range, a
// zone that is none) is the lead's, refused for good naming the field,
// and syncd validate's check says so of an example; the forms the README
// gives are taken.
func TestTimeValueItsFieldCannotTakeIsTheLeads(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{TimeZone: "Europe/Copenhagen"})
	srv.AddField("deal", crmfake.Field{Name: "At", Type: "time"})
	srv.AddField("deal", crmfake.Field{Name: "Hours", Type: "timerange"})
	srv.AddField("deal", crmfake.Field{Name: "Period", Type: "daterange"})
	values := []struct {
		field, typ, v string
		good          bool
	}{
		{"At", "time", "9 o'clock", false},
		{"At", "time", "09:00 Mars/Base", false},
		{"At", "time", "9:00 PM America/New_York", true},
		{"At", "time", "09:00 UTC", true},
		{"Hours", "timerange", "09:00", false},
		{"Hours", "timerange", "09:00/17:00", true},
		{"Period", "daterange", "2026-12-01", false},
		{"Period", "daterange", "2026-12-01 to 2026-12-32", false},
		{"Period", "daterange", "2026-12-01T10:00:00Z/2026-12-24", true},
	}
	cs, ds := crmtest.Leads(len(values))
	cr, _ := crmtest.Deliver(context.Background(), a, cs, nil, 1)
	for i, v := range values {
		ds[i].ContactID = cr[i].ID
		ds[i].Properties = map[string]string{"title": "T", v.field: v.v}
		if problem := pipedrive.ValueProblem(v.typ, v.v, nil); (problem == "") != v.good {
			t.Errorf("%s %q: validate says %q", v.typ, v.v, problem)
		}
	}
	for i, r := range a.UpsertDeals(context.Background(), ds) {
		var ce *syncd.CRMError
		switch v := values[i]; {
		case v.good && r.Err != nil:
			t.Errorf("%s %q: %v", v.typ, v.v, r.Err)
		case !v.good && (!errors.As(r.Err, &ce) || ce.Class != syncd.ErrPermanent || ce.Property != v.field):
			t.Errorf("%s %q: %v, want refused for good naming %s", v.typ, v.v, r.Err, v.field)
		}
	}
}
