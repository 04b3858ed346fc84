package crmfake_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestHubSpotNumberPropertyRefusesText: with StrictSchema, a value a
// number property cannot take is refused as HubSpot refuses it: 400
// VALIDATION_ERROR, INVALID_INTEGER naming the property, in errors[] and
// in the message's list; a number goes in (white space around one is
// another refusal: TestHubSpotRefusesSpaceAroundANonTextValue).
func TestHubSpotNumberPropertyRefusesText(t *testing.T) {
	srv, base := start(t, crmfake.Options{Token: "t", StrictSchema: true})
	srv.SetProperty("deals", crmfake.Property{Name: "syncd_lead_id", Label: "l", Type: "number", FieldType: "number", HasUniqueValue: true})
	upsert := func(v string) answer {
		in := map[string]any{"inputs": []map[string]any{{"id": v, "idProperty": "syncd_lead_id",
			"properties": map[string]string{"dealname": "d", "syncd_lead_id": v}}}}
		return call(t, "POST", base+"/crm/v3/objects/deals/batch/upsert", "t", in)
	}
	for _, v := range []string{"eaf:77722226661727188822717", "1.5e3", "12 m2"} {
		a := upsert(v)
		if a.status != 400 || a.body["category"] != "VALIDATION_ERROR" ||
			!strings.Contains(a.raw, `"code":"INVALID_INTEGER","context":{"propertyName":["syncd_lead_id"]}`) ||
			!strings.Contains(a.raw, `was not a valid number.`) {
			t.Fatalf("%q: %d %s", v, a.status, a.raw)
		}
	}
	if a := upsert("12.5"); a.status != 200 {
		t.Fatalf("a number: %d %s", a.status, a.raw)
	}
}
