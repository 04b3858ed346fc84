package mapping

import (
	"testing"
	"time"
)

func TestSplitName(t *testing.T) {
	for _, tc := range []struct{ in, first, last string }{
		{"Angela Baker", "Angela", "Baker"},
		{"Åse Ørsted-Hansen", "Åse", "Ørsted-Hansen"},
		{"  Åse   Ørsted-Hansen ", "Åse", "Ørsted-Hansen"},
		{"Madonna", "Madonna", ""},
		{"", "", ""},
		{"   ", "", ""},
		{"Mary-Kate Olsen", "Mary-Kate", "Olsen"},
		{"Helena Bonham Carter", "Helena", "Bonham Carter"},
		{"Ludwig van Beethoven", "Ludwig", "van Beethoven"},
		{"Lars Løkke Rasmussen", "Lars", "Løkke Rasmussen"},
		{"Smith, John", "John", "Smith"},
		{"Ørsted-Hansen, Åse", "Åse", "Ørsted-Hansen"},
		{"Mr John Smith", "John", "Smith"},
		{"Mrs. Jane Doe", "Jane", "Doe"},
		{"Dr Who", "", "Who"},
		{"Mr", "Mr", ""},
		{"EAF Support", "EAF", "Support"},
		{"José María García-López", "José", "María García-López"},
		{"Zoë O'Brien", "Zoë", "O'Brien"},
		{"Søren\tKierkegaard", "Søren", "Kierkegaard"},
		{"Jürgen Müller, ", "Jürgen", "Müller"},
	} {
		f, l := SplitName(tc.in)
		if f != tc.first || l != tc.last {
			t.Errorf("SplitName(%q) = %q, %q; want %q, %q", tc.in, f, l, tc.first, tc.last)
		}
	}
}

func TestE164(t *testing.T) {
	for _, tc := range []struct{ in, region, want string }{
		{"52 25 05 59", "DK", "+4552250559"},
		{"+44(0)20 3870 4550", "GB", "+442038704550"},
		{"+44(0)20 3870 4550", "DK", "+442038704550"},
		{"020 3870 4550", "GB", "+442038704550"},
		{"07700 900123", "GB", "+447700900123"},
		{"+45 52 25 05 59", "GB", "+4552250559"},
		{"0045 52250559", "DK", "+4552250559"},
		{"0045 52250559", "GB", "+4552250559"},
		{"+45-52-25-05-59", "DK", "+4552250559"},
		{"(+45) 52 25 05 59", "DK", "+4552250559"},
		{"5225 0559", "dk", "+4552250559"},
		{"", "DK", ""},
		{"   ", "DK", ""},
		{"n/a", "DK", ""},
		{"123", "DK", ""},
		{"ring mig", "DK", ""},
		// Copied from a phone's contacts or an e-mail program: wrapped in
		// the marks that keep a number left to right (U+202A, U+202C),
		// spaced with narrow no-break spaces (as French numbers are), or a
		// NUL after it. Read as ""; the contact had no phone in the CRM, and
		// a lead with no email unmappable.
		{"\u202a+45 52 25 05 59\u202c", "DK", "+4552250559"},
		{"\u2066+44 20 3870 4550\u2069", "DK", "+442038704550"},
		{"+33\u202f6\u202f12\u202f34\u202f56\u202f78", "FR", "+33612345678"},
		{"+44 20 7946 0000\x00", "GB", "+442079460000"},
		{"\u202a\u202c", "DK", ""},
	} {
		if got := E164(tc.in, tc.region); got != tc.want {
			t.Errorf("E164(%q, %s) = %q, want %q", tc.in, tc.region, got, tc.want)
		}
	}
}

func TestHTMLText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"This is an enquiry message.", "This is an enquiry message."},
		{"Hello<br>World", "Hello\nWorld"},
		{"Hello<br/>World<br />!", "Hello\nWorld\n!"},
		{"<p>First</p><p>Second</p>", "First\n\nSecond"},
		{"Fish &amp; chips &lt;3 &quot;x&quot; caf&eacute;", `Fish & chips <3 "x" café`},
		{"<b>bold</b>  and   <i>italic</i>", "bold and italic"},
		{"<script>alert(1)</script>Hi<style>p{}</style>", "Hi"},
		{"line one\r\n\r\n\r\nline two", "line one\n\nline two"},
		{"<div>a&nbsp;b</div>", "a b"},
		{"<ul><li>one</li><li>two</li></ul>", "- one\n- two"},
		{"<div>a</div><div>b</div>", "a\nb"},
		{"one<br><br>two", "one\n\ntwo"},
		{"", ""},
		{"unclosed <b>tag", "unclosed tag"},
		{"5000<x<8000 kr & more", "5000<x<8000 kr & more"},
		{"<ca. 200 m2<BR>Thanks<!-- x -->", "<ca. 200 m2\nThanks"},
		{"a <b>bold</b> < c", "a bold < c"},
		{"one<br />\ntwo", "one\ntwo"},
		{"<p class=MsoNormal>Hi<o:p></o:p></p>", "Hi"},
		{"<?xml version=\"1.0\"?><!DOCTYPE html><html><body><p>Hi</p><![CDATA[x]]></body></html>", "Hi"},
		{"Jo <jo@example.com> &amp; <https://x.dk/a>", "Jo <jo@example.com> & <https://x.dk/a>"},
		{"<pre>one\ntwo</pre>", "one\ntwo"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("HTMLText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestLocalTime: a time without an offset is the clock in the zone given,
// on the days the clocks change too; one with an offset keeps it.
func TestLocalTime(t *testing.T) {
	for _, tc := range []struct{ in, tz, want string }{
		{"2021-09-06 06:28:06", "Europe/London", "2021-09-06T06:28:06+01:00"},
		{"2021-12-06T06:28:06", "Europe/London", "2021-12-06T06:28:06Z"},
		{"2021-09-06T06:28:06+01:00", "Europe/Copenhagen", "2021-09-06T06:28:06+01:00"},
		{"2021-09-06T06:28:06Z", "Europe/London", "2021-09-06T06:28:06Z"},
		{"2021-10-31 00:30", "Europe/London", "2021-10-31T00:30:00+01:00"},
		{"2021-10-31 01:30", "Europe/London", "2021-10-31T01:30:00+01:00"}, // twice: the first
		{"2021-10-31 02:30", "Europe/London", "2021-10-31T02:30:00Z"},
		{"2021-03-28 00:30", "Europe/London", "2021-03-28T00:30:00Z"},
		{"2021-03-28 01:30", "Europe/London", "2021-03-28T02:30:00+01:00"}, // skipped
		{"2021-03-28 02:30", "Europe/London", "2021-03-28T02:30:00+01:00"},
		{"2021-10-31 02:30", "Europe/Copenhagen", "2021-10-31T02:30:00+02:00"}, // twice: the first
		{"2021-03-28 02:30", "Europe/Copenhagen", "2021-03-28T03:30:00+02:00"}, // skipped
		{"2021-03-28", "Europe/Copenhagen", "2021-03-28T00:00:00+01:00"},
		{"2021-03-29", "Europe/Copenhagen", "2021-03-29T00:00:00+02:00"},
		{"2021-09-06 06:28:06", "UTC", "2021-09-06T06:28:06Z"},
	} {
		got, err := LocalTime(tc.in, tc.tz)
		if err != nil || got.Format(time.RFC3339) != tc.want {
			t.Errorf("LocalTime(%q, %q) = %v, %v; want %s", tc.in, tc.tz, got, err, tc.want)
		}
	}
	if got, err := LocalTime("", "Europe/London"); err != nil || !got.IsZero() {
		t.Errorf("LocalTime of nothing = %v, %v; want the zero time", got, err)
	}
	if _, err := LocalTime("2021-09-06", "Mars/Olympus"); err == nil {
		t.Error("LocalTime with an unknown zone: no error")
	}
}

func TestFormatDate(t *testing.T) {
	for _, tc := range []struct {
		in         any
		layout, tz string
		want       string
	}{
		{"2021-09-06T06:28:06+01:00", "2006-01-02T15:04:05Z07:00", "UTC", "2021-09-06T05:28:06Z"},
		{"2021-09-06T06:28:06+01:00", "2006-01-02 15:04", "", "2021-09-06 06:28"},
		{"2021-09-06 06:28:06", "02/01/2006", "", "06/09/2021"},
		{"2021-09-06T23:30:00Z", "2006-01-02", "Europe/Copenhagen", "2021-09-07"},
		{int64(1630906086), time.RFC3339, "UTC", "2021-09-06T05:28:06Z"},
		{int64(1630906086), "15:04 Z07:00", "", "05:28 Z"}, // a Unix time without a zone: UTC, not the machine's zone
		{"1630906086", time.RFC3339, "UTC", "2021-09-06T05:28:06Z"},
		{int64(1630906086000), time.RFC3339, "UTC", "2021-09-06T05:28:06Z"},
		{"", "2006", "", ""},
		{nil, "2006", "", ""},
	} {
		got, err := FormatDate(tc.in, tc.layout, tc.tz)
		if err != nil || got != tc.want {
			t.Errorf("FormatDate(%v, %q, %q) = %q, %v; want %q", tc.in, tc.layout, tc.tz, got, err, tc.want)
		}
	}
	if _, err := FormatDate("next tuesday", "2006", ""); err == nil {
		t.Error("FormatDate(next tuesday): no error")
	}
	if _, err := FormatDate("2021-09-06", "2006", "Mars/Olympus"); err == nil {
		t.Error("FormatDate with an unknown zone: no error")
	}
}

// TestExprHelpers runs the helpers the way mapping files call them.
func TestExprHelpers(t *testing.T) {
	env := []byte(`{"eaf_type":"email_lead","eaf_id":"1","contact_name":"  Åse  Ørsted-Hansen ",
		"contact_email":" ASE@Example.DK ","contact_phone":"52 25 05 59","eaf_reference":"",
		"eaf_portal_reference":"P-1","contact_message_html":"Hej<br>med dig &amp; dine",
		"eaf_date":"2021-09-06T06:28:06+01:00","eaf_timestamp":1630906086}`)
	for _, tc := range []struct{ expr, want string }{
		{`trim(contact_name)`, "Åse  Ørsted-Hansen"},
		{`lower(trim(contact_email))`, "ase@example.dk"},
		{`upper(contact_email)`, " ASE@EXAMPLE.DK "},
		{`firstName(contact_name)`, "Åse"},
		{`lastName(contact_name)`, "Ørsted-Hansen"},
		{`phone(contact_phone)`, ""}, // read in GB, eaf's default region, it dials only locally: no number to call
		{`phoneIn(contact_phone, "DK")`, "+4552250559"},
		{`default(eaf_reference, eaf_portal_reference)`, "P-1"},
		{`default(eaf_portal_reference, "x")`, "P-1"},
		{`concat(eaf_portal_reference, "/", eaf_timestamp)`, "P-1/1630906086"},
		{`joinNonEmpty(" - ", eaf_reference, eaf_portal_reference, "EAF")`, "P-1 - EAF"},
		{`format("%s#%d", eaf_portal_reference, eaf_timestamp)`, "P-1#1630906086"},
		{`formatDate(eaf_date, "2006-01-02 15:04", "UTC")`, "2021-09-06 05:28"},
		{`formatDate(eaf_timestamp, "2006-01-02")`, "2021-09-06"},
		{`formatDate(localTime("2021-09-05 23:30:00", "Europe/London"), "2006-01-02 15:04", "UTC")`, "2021-09-05 22:30"},
		{`formatDate(localTime(eaf_date, "Europe/Copenhagen"), "15:04", "UTC")`, "05:28"},
		{`htmlToText(contact_message_html)`, "Hej\nmed dig & dine"},
		{`syncd.lead_id`, "src:eaf:1"},
		{`eaf_timestamp > 1600000000 ? "new" : "old"`, "new"},
	} {
		rules, err := Parse("t.yaml", []byte(`rules:
  - name: t
    source: eaf
    event: email_lead
    contact:
      email: contact_email
      x: {expr: '`+tc.expr+`'}
`), "hubspot")
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		res := rules.Map(testEvent("eaf", "email_lead", "eaf:1", env))
		got := res.Ops[0].Properties["x"]
		if tc.want == " ASE@EXAMPLE.DK " {
			tc.want = "ASE@EXAMPLE.DK" // values are trimmed
		}
		if got != tc.want {
			t.Errorf("%s = %q, want %q", tc.expr, got, tc.want)
		}
	}
}
