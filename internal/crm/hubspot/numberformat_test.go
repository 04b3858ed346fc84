package hubspot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCheckWarnsOfANumberPropertyWrittenUndeclared: the mappings write
// values from the payload into areal_m2, the agency's own number property,
// without declaring its type. HubSpot takes a point as the decimal mark: a
// Danish sender's "1.250" (m²) was 1.25 there, with no error and no warning
// anywhere (syncd validate warns of a sender's text written as it is only
// into a property it knows holds a number). crm check now warns, naming
// the property, the rule and the declaration to add; a property declared a
// number, one written only as a constant, text, a syncd_* property (another
// warning) and the deal's amount (the mappings know it) are not warned of.
func TestCheckWarnsOfANumberPropertyWrittenUndeclared(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{})
	for _, n := range []string{"areal_m2", "rooms", "floors"} {
		srv.SetProperty("deals", crmfake.Property{Name: n, Label: n, Type: "number", FieldType: "number"})
	}
	srv.SetProperty("deals", crmfake.Property{Name: "area_text", Label: "Area", Type: "string", FieldType: "text"})
	fs, err := a.Check(context.Background(), []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "areal_m2", Dynamic: true, Where: "hubspot/eaf.yaml:52"},
		{Kind: syncd.RecordDeal, Name: "rooms", Type: "number", Dynamic: true, Where: "hubspot/eaf.yaml:53"},
		{Kind: syncd.RecordDeal, Name: "floors", Values: []string{"2"}, Where: "hubspot/eaf.yaml:54"},
		{Kind: syncd.RecordDeal, Name: "area_text", Dynamic: true, Where: "hubspot/eaf.yaml:55"},
		{Kind: syncd.RecordDeal, Name: "amount", Dynamic: true, Where: "hubspot/eaf.yaml:56"},
	})
	if err != nil || syncd.Failed(fs) {
		t.Fatalf("%+v %v", fs, err)
	}
	var got []syncd.Finding // the amount's currency has its own warning
	for _, f := range fs {
		if strings.Contains(f.Problem, "decimal mark") {
			got = append(got, f)
		}
	}
	if len(got) != 1 || got[0].Severity != syncd.SevWarn || got[0].Name != "areal_m2" ||
		!strings.Contains(got[0].Problem, "hubspot/eaf.yaml:52") || !strings.Contains(got[0].Problem, `"450.000"`) ||
		!strings.Contains(got[0].Fix, "areal_m2: {type: number}") || !strings.Contains(got[0].Fix, "number(") {
		t.Fatalf("findings %+v, want one warning of areal_m2 saying how HubSpot reads a number and what to declare", fs)
	}
}
