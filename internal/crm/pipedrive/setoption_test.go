package pipedrive_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSetOptionWithACommaIsWritten: a Pipedrive multiple-options (set)
// field whose option label holds a comma ("Office, large", as Pipedrive
// allows). The adapter split every value of a set at each comma and
// semicolon, so "Office, large" was looked up as "Office" and "large":
// crm check called the constant written `"large" is not an option`, a fix
// no one could make (the option is there), and every lead carrying it was
// refused (a pause, or, from the payload, a dead letter). Now the longest
// option label at each place is taken before the
// separators: "Office, large" is its option, "Retail; Office, large" and
// "office, large,Retail" are two, "Office, Retail" still two others.
func TestSetOptionWithACommaIsWritten(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{})
	code := srv.AddField("deal", crmfake.Field{Name: "Premises", Type: "set",
		Options: []crmfake.PDOption{{Label: "Office"}, {Label: "Office, large"}, {Label: "Retail"}}})
	id := map[string]int64{}
	for _, f := range srv.Fields("deal") {
		for _, o := range f.Options {
			id[o.Label] = o.ID
		}
	}
	spec := syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "Premises", Type: "set", Options: []string{"Office, large", "Retail"},
		Values: []string{"Office, large"}, Where: "x.yaml:9"}
	fs, err := a.Check(context.Background(), []syncd.FieldSpec{spec})
	if err != nil {
		t.Fatal(err)
	}
	if p, bad := errorsOf(fs)["Premises"]; bad {
		t.Errorf("crm check: %s", p)
	}

	written := map[string][]string{
		"Office, large":         {"Office, large"},
		"Retail; Office, large": {"Retail", "Office, large"},
		"office, large,Retail":  {"Office, large", "Retail"},
		"Office, Retail":        {"Office", "Retail"},
	}
	want := map[string]string{}
	for v, labels := range written {
		var ids []string
		for _, label := range labels {
			ids = append(ids, fmt.Sprint(id[label]))
		}
		want[v] = "[" + strings.Join(ids, " ") + "]"
	}
	dealsHold(t, srv, a, "Premises", code, want)
}

// TestOptionLabelledAsAnotherOptionsIDIsItsLabel: an enum field whose
// options are numbers ("Rooms": "1" to "20", as Pipedrive numbers its
// options from wherever the account's count stands, here 11 to 30). A
// value was looked up as a label or an id, whichever option came first,
// so a lead with 12 rooms was written as the option whose id is 12, the
// one labelled "2", and nothing said so. A label now wins over an id;
// an id no option is labelled as still names its option.
func TestOptionLabelledAsAnotherOptionsIDIsItsLabel(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{})
	var opts []crmfake.PDOption
	for i := 1; i <= 20; i++ {
		opts = append(opts, crmfake.PDOption{ID: int64(10 + i), Label: fmt.Sprint(i)})
	}
	code := srv.AddField("deal", crmfake.Field{Name: "Rooms", Type: "enum", Options: opts})
	dealsHold(t, srv, a, "Rooms", code, map[string]string{"12": "22", "2": "12", "30": "30"}) // the value: the option id held
}

// dealsHold writes a deal per value of want into the field name (key
// code), and fails t unless each deal holds want's value for it.
func dealsHold(t *testing.T, srv *crmfake.Server, a *pipedrive.Adapter, name, code string, want map[string]string) {
	t.Helper()
	var values []string
	for v := range want {
		values = append(values, v)
	}
	cs, ds := crmtest.Leads(len(values))
	cr, _ := crmtest.Deliver(context.Background(), a, cs, nil, 1)
	for i, v := range values {
		ds[i].ContactID = cr[i].ID
		ds[i].Properties = map[string]string{"title": "T", name: v}
	}
	for i, r := range a.UpsertDeals(context.Background(), ds) {
		if r.Err != nil {
			t.Errorf("%s %q: %v", name, values[i], r.Err)
			continue
		}
		for _, d := range srv.State().Deals {
			if got := d.Properties["custom_fields."+code]; d.ID == r.ID && got != want[values[i]] {
				t.Errorf("%s %q: the deal holds %s, want %s", name, values[i], got, want[values[i]])
			}
		}
	}
}
