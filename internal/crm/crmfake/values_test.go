package crmfake_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestHubSpotRefusesEmailsItCallsInvalid: HubSpot refuses an email that is
// not an address (two @, a trailing dot, a space, no domain dot, letters
// outside ASCII) with 400 VALIDATION_ERROR and INVALID_EMAIL in the
// message's list, the shape of real answers (docs/crm-contracts.md), by
// create and by upsert; a plain address with a plus and a hyphen goes in.
func TestHubSpotRefusesEmailsItCallsInvalid(t *testing.T) {
	_, base := start(t, crmfake.Options{Token: "t"})
	upsert := func(e string) answer {
		in := map[string]any{"inputs": []map[string]any{{"id": e, "idProperty": "email",
			"properties": map[string]string{"firstname": "Kim"}}}}
		return call(t, "POST", base+"/crm/v3/objects/contacts/batch/upsert", "t", in)
	}
	for _, e := range []string{"kim@@x.dk", "kim@x.dk.", "kim hansen@x.dk", "kim@x", "kím@x.dk", ".kim@x.dk", "kim..h@x.dk", "kim@-x.dk"} {
		for what, a := range map[string]answer{"upsert": upsert(e), "create": call(t, "POST", base+"/crm/v3/objects/contacts", "t", contact(e))} {
			if a.status != 400 || a.body["category"] != "VALIDATION_ERROR" ||
				!strings.Contains(a.raw, `\"error\":\"INVALID_EMAIL\",\"name\":\"email\"`) {
				t.Errorf("%s %q: %d %s", what, e, a.status, a.raw)
			}
		}
	}
	for _, e := range []string{"kim.hansen+lead@mail.x-y.dk", "K_O'Neil@Example.COM"} {
		if a := upsert(e); a.status != 200 {
			t.Errorf("%q: %d %s", e, a.status, a.raw)
		}
	}
}

// TestHubSpotRefusesReadOnlyProperties: with StrictSchema, a write to a
// property whose value HubSpot calculates (hs_object_id) is refused with
// 400 VALIDATION_ERROR, READ_ONLY_VALUE naming it, as is one to a
// calculated property the account made.
func TestHubSpotRefusesReadOnlyProperties(t *testing.T) {
	srv, base := start(t, crmfake.Options{Token: "t", StrictSchema: true})
	srv.SetProperty("deals", crmfake.Property{Name: "days_open", Label: "Days open", Type: "number", FieldType: "calculation_equation", Calculated: true})
	for _, p := range []string{"hs_object_id", "days_open"} {
		in := map[string]any{"inputs": []map[string]any{{"id": "eaf:1", "idProperty": "syncd_lead_id",
			"properties": map[string]string{"dealname": "d", p: "7"}}}}
		a := call(t, "POST", base+"/crm/v3/objects/deals/batch/upsert", "t", in)
		if a.status != 400 || a.body["category"] != "VALIDATION_ERROR" ||
			!strings.Contains(a.raw, `\"error\":\"READ_ONLY_VALUE\",\"name\":\"`+p+`\"`) {
			t.Errorf("%s: %d %s", p, a.status, a.raw)
		}
	}
}

// TestHubSpotRefusesTextOverItsLimit: a value of more than 65,536
// characters is refused (400 VALIDATION_ERROR naming the property), one of
// 65,536 goes in.
func TestHubSpotRefusesTextOverItsLimit(t *testing.T) {
	_, base := start(t, crmfake.Options{Token: "t"})
	upsert := func(n int) answer {
		in := map[string]any{"inputs": []map[string]any{{"id": "eaf:1", "idProperty": "syncd_lead_id",
			"properties": map[string]string{"dealname": "d", "description": strings.Repeat("ø", n)}}}}
		return call(t, "POST", base+"/crm/v3/objects/deals/batch/upsert", "t", in)
	}
	if a := upsert(65537); a.status != 400 || a.body["category"] != "VALIDATION_ERROR" || !strings.Contains(a.raw, `\"name\":\"description\"`) {
		t.Fatalf("65,537 characters: %d %.300s", a.status, a.raw)
	}
	if a := upsert(65536); a.status != 200 {
		t.Fatalf("65,536 characters: %d %.300s", a.status, a.raw)
	}
}

// TestHubSpotDateValues: with StrictSchema, a date property takes
// YYYY-MM-DD or epoch milliseconds at midnight UTC, and refuses a time of
// day (INVALID_DATE, "… not midnight!"), as HubSpot does; a datetime
// property takes ISO 8601 or epoch milliseconds, not a date written
// another way.
func TestHubSpotDateValues(t *testing.T) {
	srv, base := start(t, crmfake.Options{Token: "t", StrictSchema: true})
	srv.SetProperty("deals", crmfake.Property{Name: "viewing_on", Label: "Viewing on", Type: "date", FieldType: "date"})
	srv.SetProperty("deals", crmfake.Property{Name: "asked_at", Label: "Asked at", Type: "datetime", FieldType: "date"})
	upsert := func(prop, v string) answer {
		in := map[string]any{"inputs": []map[string]any{{"id": "eaf:1", "idProperty": "syncd_lead_id",
			"properties": map[string]string{"dealname": "d", prop: v}}}}
		return call(t, "POST", base+"/crm/v3/objects/deals/batch/upsert", "t", in)
	}
	for _, c := range []struct {
		prop, v string
		ok      bool
	}{
		{"viewing_on", "2026-11-30", true}, {"viewing_on", "1795996800000", true}, {"viewing_on", "2026-11-30T00:00:00Z", true},
		{"viewing_on", "2026-11-30T09:15:00Z", false}, {"viewing_on", "1796030100000", false}, {"viewing_on", "30-11-2026", false},
		{"asked_at", "2026-11-30T09:15:00+01:00", true}, {"asked_at", "2026-11-30T08:15:00.123Z", true}, {"asked_at", "1796030100000", true},
		{"asked_at", "2026-11-30", true}, {"asked_at", "30.11.2026 09:15", false}, {"asked_at", "i morgen", false},
	} {
		a := upsert(c.prop, c.v)
		switch {
		case c.ok && a.status != 200:
			t.Errorf("%s %q: %d %s", c.prop, c.v, a.status, a.raw)
		case !c.ok && (a.status != 400 || !strings.Contains(a.raw, `\"error\":\"INVALID_DATE\",\"name\":\"`+c.prop+`\"`)):
			t.Errorf("%s %q: %d %s", c.prop, c.v, a.status, a.raw)
		}
	}
}

// TestHubSpotRefusesAnEmailWithoutATopLevelDomain: HubSpot refuses an
// address whose domain does not end in a TLD of IANA's list (its FAQ "How
// does HubSpot validate email addresses"; "tb.tb@yahoo.comtttt" was refused
// so), as it refuses "kim@@x.dk": 400 VALIDATION_ERROR, INVALID_EMAIL on
// email. The stand-in took any ending of letters. A real TLD goes in: a
// country's, a new gTLD, one in ASCII's xn-- form (as syncd sends
// "user@email.삼성"), one the public suffix list holds by a wildcard alone
// (*.ck), any case.
func TestHubSpotRefusesAnEmailWithoutATopLevelDomain(t *testing.T) {
	_, base := start(t, crmfake.Options{Token: "t"})
	upsert := func(e string) answer {
		in := map[string]any{"inputs": []map[string]any{{"id": e, "idProperty": "email",
			"properties": map[string]string{"firstname": "Kim"}}}}
		return call(t, "POST", base+"/crm/v3/objects/contacts/batch/upsert", "t", in)
	}
	for _, e := range []string{"kim@hotmail.con", "tb.tb@yahoo.comtttt", "jane@work.example", "jane@x.test", "kim@x.xn--zzzz", "kim@x.d1"} {
		for what, a := range map[string]answer{"upsert": upsert(e), "create": call(t, "POST", base+"/crm/v3/objects/contacts", "t", contact(e))} {
			if a.status != 400 || a.body["category"] != "VALIDATION_ERROR" ||
				!strings.Contains(a.raw, `\"message\":\"Email address `+e+` is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"`) {
				t.Errorf("%s %q: %d %s", what, e, a.status, a.raw)
			}
		}
	}
	for _, e := range []string{"jane@x.dk", "x@test.design", "kim@las.vegas", "user@email.xn--cg4bki", "kim@telecom.ck", "Kim@Hotmail.COM"} {
		if a := upsert(e); a.status != 200 {
			t.Errorf("%q: %d %s", e, a.status, a.raw)
		}
	}
}
