package mapping

import (
	"reflect"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

func testEvent(kind syncd.Kind, typ, key string, payload []byte) syncd.Event {
	return syncd.Event{ID: 7, Source: "src", Kind: kind, Type: typ, Key: key, Body: payload, Payload: payload}
}

func mustParse(t *testing.T, yaml string, opts ...Option) *Rules {
	t.Helper()
	r, err := Parse("test.yaml", []byte(yaml), "hubspot", opts...)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return r
}

const eafRule = `rules:
  - name: lead
    source: eaf
    event: email_lead
    contact:
      email: contact_email
      phone: contact_phone
    deal:
      dealname: eaf_reference
`

func TestMapIdentity(t *testing.T) {
	r := mustParse(t, eafRule)
	for _, tc := range []struct {
		name, payload string
		state         syncd.MapState
		key, reason   string
	}{
		{"email wins", `{"contact_email":" Jane@Example.COM ","contact_phone":"020 3870 4550","eaf_reference":"R1"}`,
			syncd.MapMapped, "jane@example.com", ""},
		{"phone when no email", `{"contact_email":"","contact_phone":"020 3870 4550","eaf_reference":"R1"}`,
			syncd.MapMapped, "+442038704550", ""},
		{"null email", `{"contact_email":null,"contact_phone":"+45 52 25 05 59","eaf_reference":"R1"}`,
			syncd.MapMapped, "+4552250559", ""},
		{"invalid email, phone", `{"contact_email":"none","contact_phone":"020 3870 4550","eaf_reference":"R1"}`,
			syncd.MapMapped, "+442038704550", `rule "lead": contact's email "none" left out, not an address; the contact goes by its phone`},
		{"neither", `{"eaf_reference":"R1"}`, syncd.MapUnmappable, "", `rule "lead": contact has no email and no phone`},
		{"bad phone only", `{"contact_phone":"n/a","eaf_reference":"R1"}`, syncd.MapUnmappable, "",
			`rule "lead": contact has no email, and the phone given ("n/a") is not a phone number`},
		{"bad email only", `{"contact_email":"jane at example","eaf_reference":"R1"}`, syncd.MapUnmappable, "",
			`rule "lead": contact has no valid email ("jane at example" is not one) and no phone`},
		{"no deal name", `{"contact_email":"a@b.dk","eaf_reference":"  "}`, syncd.MapUnmappable, "",
			`rule "lead": deal has no name (dealname is empty)`},
		{"number for a string", `{"contact_email":"a@b.dk","eaf_reference":12345}`, syncd.MapMapped, "a@b.dk", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := r.Map(testEvent("eaf", "email_lead", "eaf:9", []byte(tc.payload)))
			if res.State != tc.state || res.Reason != tc.reason {
				t.Fatalf("state %s (%q), want %s (%q)", res.State, res.Reason, tc.state, tc.reason)
			}
			if tc.state != syncd.MapMapped {
				if res.Ops != nil {
					t.Fatalf("unmappable result has ops: %v", res.Ops)
				}
				return
			}
			c, d := res.Ops[0], res.Ops[1]
			if c.Kind != syncd.RecordContact || c.Key != tc.key || d.Kind != syncd.RecordDeal || d.ContactKey != tc.key {
				t.Fatalf("ops = %+v", res.Ops)
			}
			if d.Key != "src:eaf:9" || d.Target != "hubspot" || c.MappingFile != "test.yaml" || len(c.MappingHash) != 64 {
				t.Fatalf("deal key %q target %q file %q hash %q", d.Key, d.Target, c.MappingFile, c.MappingHash)
			}
			if p := c.Properties["phone"]; p != "" && !strings.HasPrefix(p, "+") {
				t.Fatalf("phone property %q not in E.164", p)
			}
			// What the key is travels in a field, not in its characters.
			if want := map[bool]syncd.KeyKind{true: syncd.KeyEmail, false: syncd.KeyPhone}[strings.Contains(tc.key, "@")]; c.KeyKind != want {
				t.Fatalf("key kind %q, want %q", c.KeyKind, want)
			}
		})
	}
}

// TestMapStable: mapping the same event twice gives the same deal key and
// properties, so a replay never makes a second deal.
func TestMapStable(t *testing.T) {
	r := mustParse(t, eafRule)
	ev := testEvent("eaf", "email_lead", "eaf:9", []byte(`{"contact_email":"a@b.dk","eaf_reference":"R"}`))
	a, b := r.Map(ev), r.Map(ev)
	if !reflect.DeepEqual(a.Ops[1], b.Ops[1]) {
		t.Fatalf("mapping is not stable: %+v vs %+v", a.Ops[1], b.Ops[1])
	}
	ev.ID = 8 // a redelivery stored again is still the same lead
	if c := r.Map(ev); c.Ops[1].Key != a.Ops[1].Key {
		t.Fatalf("lead id depends on the event row: %q vs %q", c.Ops[1].Key, a.Ops[1].Key)
	}
}

func TestMapIgnoredAndWhen(t *testing.T) {
	r := mustParse(t, `rules:
  - name: extra
    source: lokalebasen
    event: enquiry_created
    when: 'payload.enquiry.type == "extra"'
    contact:
      email: payload.client.email
      label: {const: extra}
  - name: direct
    source: lokalebasen
    event: enquiry_created
    when: 'payload.enquiry.type == "client"'
    contact:
      email: payload.client.email
      label: {const: direct}
`)
	ev := func(typ string) syncd.Event {
		return testEvent("lokalebasen", "enquiry_created", "sha256:x",
			[]byte(`{"payload":{"enquiry":{"type":"`+typ+`"},"client":{"email":"a@b.dk"}}}`))
	}
	if res := r.Map(ev("extra")); res.Rule != "extra" || res.Ops[0].Properties["label"] != "extra" {
		t.Errorf("extra: %+v", res)
	}
	if res := r.Map(ev("client")); res.Rule != "direct" || res.Ops[0].Properties["label"] != "direct" {
		t.Errorf("client: %+v", res)
	}
	if res := r.Map(ev("other")); res.State != syncd.MapIgnored || res.Reason != "no rule's condition holds for lokalebasen enquiry_created" {
		t.Errorf("other: %+v", res)
	}
	if res := r.Map(testEvent("eaf", "feed_import", "eaf:1", []byte(`{}`))); res.State != syncd.MapIgnored || res.Reason != "no rule for eaf feed_import" {
		t.Errorf("feed_import: %+v", res)
	}
	if res := r.Map(testEvent("lokalebasen", "enquiry_created", "k", []byte(`{"payload":`))); res.State != syncd.MapUnmappable {
		t.Errorf("broken payload: %+v", res)
	}
}

// TestRulesForReportEvents proves a rule for portal_submission and
// feed_import is possible, although the shipped mappings make none.
func TestRulesForReportEvents(t *testing.T) {
	r := mustParse(t, `rules:
  - name: portal-error
    source: eaf
    event: portal_submission
    when: 'eaf_status == "error"'
    contact:
      email: {const: listings@agency.dk}
    deal:
      dealname: {expr: 'format("%s rejected %s", eaf_target, eaf_portal_reference)'}
      description: eaf_errors.#.eaf_message
      codes: {expr: 'join(map(eaf_errors, .eaf_code), ",")'}
  - name: feed
    source: eaf
    event: feed_import
    contact:
      email: eaf_agent_email
      feed_records: eaf_records_modified
`)
	for name, want := range map[string]map[string]string{
		"portal_submission_error": {"dealname": "rightmove rejected 87654321_EAF_67004",
			"description": "Unable to add the listing as you've reached your visible or invisible account allowance.",
			"codes":       "ERR_ACCOUNT_ALLOWANCE"},
		"portal_submission_success": nil,
		"feed_import":               {"feed_records": "2"},
	} {
		res := r.Map(fixtureEvent(t, syncd.KindEAF, webhooksDir+"/eaf/"+name+".json"))
		if want == nil {
			if res.State != syncd.MapIgnored {
				t.Errorf("%s: %+v, want ignored", name, res)
			}
			continue
		}
		if res.State != syncd.MapMapped {
			t.Fatalf("%s: %+v", name, res)
		}
		got := res.Ops[len(res.Ops)-1].Properties
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", name, k, got[k], v)
			}
		}
	}
}

// TestUntypedEvent: a rule for an event type with no documented payload
// still works; its fields are not checked at load.
func TestUntypedEvent(t *testing.T) {
	r := mustParse(t, `rules:
  - name: future
    source: lokalebasen
    event: viewing_booked
    contact:
      email: payload.who.email
      when_at: {expr: 'payload.at'}
      lead: {expr: 'syncd.lead_id'}
`)
	res := r.Map(testEvent("lokalebasen", "viewing_booked", "sha256:k",
		[]byte(`{"payload":{"who":{"email":"X@Y.DK"},"at":"tomorrow"}}`)))
	if res.State != syncd.MapMapped || res.Ops[0].Key != "x@y.dk" || res.Ops[0].Properties["when_at"] != "tomorrow" ||
		res.Ops[0].Properties["lead"] != "src:sha256:k" {
		t.Fatalf("%+v", res)
	}
}

func TestCheckExamples(t *testing.T) {
	for _, target := range targets {
		r, err := Load(mappingsDir+"/"+target, target)
		if err != nil {
			t.Fatal(err)
		}
		checked, _, errs := r.CheckExamples(webhooksDir, nil)
		if len(errs) != 0 {
			t.Errorf("%s: shipped mapping invalid on examples: %v", target, errs)
		}
		if checked[syncd.KindEAF] < 4 || checked[syncd.KindLokalebasen] < 1 {
			t.Errorf("%s: checked %v, want every example", target, checked)
		}
	}
	r := mustParse(t, `rules:
  - name: wrong-field
    source: eaf
    event: email_lead
    contact:
      email: eaf_reference
      phone: eaf_id
`)
	_, _, errs := r.CheckExamples(webhooksDir, nil)
	want := webhooksDir + `/eaf/email_lead.json: test.yaml:2: rule "wrong-field": contact has no valid email ("87654321" is not one), and the phone given ("77722226661727188822717") is not a phone number`
	if len(errs) != 1 || errs[0].Error() != want {
		t.Fatalf("errs = %v\nwant %s", errs, want)
	}
}
