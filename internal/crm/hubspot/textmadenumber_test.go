package hubspot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCheckWarnsOfATextPropertyMadeANumber: an admin changed the type of
// syncd_location_external_key, a syncd_* property the mappings declare no
// type for (so `syncd crm setup` made it text), to number in HubSpot.
// HubSpot then refuses the portal's text keys (INVALID_INTEGER): every
// Lokalebasen lead was dead-lettered while `syncd crm check` said the
// account was ready, with no warning. The check now warns, naming the
// property, its type and both ways out; a property whose type the
// mappings declare, or that takes text, is not warned of.
func TestCheckWarnsOfATextPropertyMadeANumber(t *testing.T) {
	t.Parallel()
	const prop = "syncd_location_external_key"
	srv, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{})
	srv.SetProperty("deals", crmfake.Property{Name: prop, Label: "Location key", Type: "number", FieldType: "number", GroupName: "syncd"})
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_rooms", Label: "Rooms", Type: "number", FieldType: "number", GroupName: "syncd"})
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_portal", Label: "Portal", Type: "string", FieldType: "text", GroupName: "syncd"})
	fs, err := a.Check(context.Background(), []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: prop, Dynamic: true, Where: "hubspot/lokalebasen.yaml:44"},
		{Kind: syncd.RecordDeal, Name: "syncd_rooms", Type: "number", Dynamic: true, Where: "hubspot/eaf.yaml:50"},
		{Kind: syncd.RecordDeal, Name: "syncd_portal", Dynamic: true, Where: "hubspot/eaf.yaml:51"},
	})
	if err != nil || syncd.Failed(fs) {
		t.Fatalf("%+v %v", fs, err)
	}
	if len(fs) != 1 || fs[0].Severity != syncd.SevWarn || fs[0].Name != prop ||
		!strings.Contains(fs[0].Problem, "a number property") || !strings.Contains(fs[0].Problem, "hubspot/lokalebasen.yaml:44") ||
		!strings.Contains(fs[0].Fix, "make it text again in HubSpot") || !strings.Contains(fs[0].Fix, "declare its type") {
		t.Fatalf("findings %+v, want one warning of %s, a number property", fs, prop)
	}
}
