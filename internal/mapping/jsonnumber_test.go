package mapping

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// numbersRules read a Lokalebasen location id by a path and by
// expressions, an undocumented event type's number untyped, and Estate
// Agent Feeds' eaf_timestamp, a documented whole number.
const numbersRules = `rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
      phone: {expr: 'phone(payload.client.phone)'}
    deal:
      dealname: {expr: 'concat("Lokale ", payload.location.id)'}
      by_path: payload.location.id
  - name: untyped
    source: lokalebasen
    event: viewing_booked
    contact:
      email: payload.email
      by_path: payload.n
      by_expr: {expr: 'payload.n'}
      by_number: {expr: 'number(payload.n)'}
      by_format: {expr: 'format("%v m2, %s, %.1f", payload.n, payload.n, payload.n)'}
  - name: overflow
    source: lokalebasen
    event: viewing_moved
    contact:
      email: payload.email
      times: {expr: 'payload.n * 1e300'}
  - name: eaf
    source: eaf
    event: email_lead
    contact:
      email: contact_email
      at: {expr: 'eaf_timestamp'}
`

// TestNumbersReachTheCRMAsSent: each number a sender sent reaches a CRM
// property as sent, or its lead is unmappable, saying why: before, a
// number written with an exponent lost digits past float64's 17, a
// number's text lost its trailing zeros, one past 2^53 read untyped lost
// its last digit, 1e999999999 went as "+Inf", 1e-400 as "0", an
// expression overflowing as "+Inf", and an eaf_timestamp of 1e999999999
// as 9223372036854775807 (one of 1.5 as 1), and number() read a JSON
// number of an undocumented payload as Danes write text (1234.567 as
// 1234567) and format() wrote 1e21 as "1e+21" (with %s, as
// "%!s(float64=1e+21)"). A number beyond range in a
// field no property reads holds up no lead.
func TestNumbersReachTheCRMAsSent(t *testing.T) {
	r := mustParse(t, numbersRules)
	lb := func(id, phone string) syncd.Event {
		return testEvent("lokalebasen", "enquiry_created", "k", []byte(`{"payload":{"location":{"id":`+id+
			`},"client":{"email":"a@b.dk","phone":`+phone+`}}}`))
	}
	untyped := func(n string) syncd.Event {
		return testEvent("lokalebasen", "viewing_booked", "k", []byte(`{"payload":{"email":"a@b.dk","n":`+n+`,"other":1e999999999}}`))
	}
	eaf := func(ts string) syncd.Event {
		return testEvent("eaf", "email_lead", "k", []byte(`{"contact_email":"a@b.dk","eaf_reference":1e999999999,"eaf_timestamp":`+ts+`}`))
	}
	for _, tc := range []struct {
		name string
		ev   syncd.Event
		want map[string]string // properties of the contact and deal; nil: unmappable
		why  string            // what the reason says when unmappable
	}{
		{"exponent keeps every digit", lb("1.2345678901234567890123e22", `"1"`),
			map[string]string{"by_path": "12345678901234567890123", "dealname": "Lokale 12345678901234567890123"}, ""},
		{"negative exponent", lb("-12.5e-3", `"1"`), map[string]string{"by_path": "-0.0125", "dealname": "Lokale -0.0125"}, ""},
		{"a fraction's last zeros", lb("1.50", `"1"`), map[string]string{"by_path": "1.5", "dealname": "Lokale 1.5"}, ""},
		{"a long fraction keeps its digits", lb("0.12345678901234567890", `"1"`), map[string]string{"by_path": "0.1234567890123456789"}, ""},
		{"past 2^53 by a path", lb("9007199254740993", `"1"`), map[string]string{"by_path": "9007199254740993"}, ""},
		{"1e21 in digits", lb("1e21", `"1"`), map[string]string{"by_path": "1000000000000000000000"}, ""},
		{"0.1", lb("0.1", `"1"`), map[string]string{"by_path": "0.1"}, ""},
		{"-0", lb("-0", `"1"`), map[string]string{"by_path": "-0"}, ""},
		{"leading zeros of text", lb(`"007"`, `"1"`), map[string]string{"by_path": "007"}, ""},
		{"phone sent as a number", lb("1", "52250559"), map[string]string{"phone": "+4552250559"}, ""},
		{"1e999999999 by a path", lb("1e999999999", `"1"`), nil, "deal.dealname (test.yaml:9): the sender's number 1e999999999 in payload.location.id is beyond any number a CRM holds"},
		{"1e-400", lb("1e-400", `"1"`), nil, "1e-400 in payload.location.id is beyond"},
		{"phone of 1e999999999", lb("1", "-1e999999999"), nil, "contact.phone (test.yaml:7): the sender's number -1e999999999 in payload.client.phone"},
		{"untyped past 2^53", untyped("9007199254740993"), map[string]string{"by_expr": "9007199254740993", "by_path": "9007199254740993"}, ""},
		{"untyped 0.1 computes", untyped("0.1"), map[string]string{"by_expr": "0.1"}, ""},
		{"untyped format() of a JSON number", untyped("1e21"),
			map[string]string{"by_format": "1000000000000000000000 m2, 1000000000000000000000, 1000000000000000000000.0"}, ""},
		{"untyped number() of a JSON number", untyped("1234.567"), map[string]string{"by_number": "1234.567"}, ""},
		{"untyped 1e999999999", untyped("1e999999999"), nil, "1e999999999 in payload.n is beyond"},
		{"expression overflows", testEvent("lokalebasen", "viewing_moved", "k", []byte(`{"payload":{"email":"a@b.dk","n":1e10}}`)), nil, "contact.times (test.yaml:25): the expression gives +Inf"},
		{"eaf_timestamp of 1e999999999", eaf("1e999999999"), nil, "contact.at (test.yaml:31): the sender's number 1e999999999 in eaf_timestamp"},
		{"eaf_timestamp of 1.5", eaf("1.5"), nil, "1.5 in eaf_timestamp is not a whole number"},
		{"eaf_timestamp whole", eaf("1630906086"), map[string]string{"at": "1630906086"}, ""},
		{"eaf_timestamp with an exponent", eaf("1.630906086e9"), map[string]string{"at": "1630906086"}, ""},
		{"eaf_timestamp past int64", eaf("9223372036854775808"), nil, "9223372036854775808 in eaf_timestamp is not a whole number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := r.Map(tc.ev)
			if tc.want == nil {
				if res.State != syncd.MapUnmappable || !strings.Contains(res.Reason, tc.why) {
					t.Fatalf("%s %q, want unmappable saying %q (%+v)", res.State, res.Reason, tc.why, res.Ops)
				}
				return
			}
			if res.State != syncd.MapMapped {
				t.Fatalf("%s: %s", res.State, res.Reason)
			}
			got := map[string]string{}
			for _, op := range res.Ops {
				for k, v := range op.Properties {
					got[k] = v
				}
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q (all: %v)", k, got[k], v, got)
				}
			}
		})
	}
}
