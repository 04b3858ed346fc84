package mapping

import (
	"os"
	"strings"
	"testing"
)

// TestGoMarksInAFormattedValueAreRefusedAtLoad: format("%s – %s (%s)",
// a, b) loaded, validate said ok, and every deal was named "… (%!s(MISSING))";
// format("%d", eaf_reference) sent "%!d(string=87654321)", and
// formatDate(eaf_date, "YYYY-MM-DD") the letters "YYYY-MM-DD" into a date
// property, which refused every lead. Such a text written in the
// expression is refused where the mapping loads, with its column and
// what to write.
func TestGoMarksInAFormattedValueAreRefusedAtLoad(t *testing.T) {
	const head = `rules:
  - name: r
    source: eaf
    event: email_lead
    contact:
      email: contact_email
`
	for _, tc := range []struct{ name, expr, want string }{
		{"a value missing", `format("%s – %s (%s)", email_source, contact_name)`,
			`test.yaml:7: rule "r": contact.x: expression: format's text "%s – %s (%s)" has 3 places for a value (%s, %s, %s) and is given 2: ` +
				`each lead's value would end in Go's "%!s(MISSING)"; give a value for each, or write a % meant as text as %% (at column 25)`},
		{"a value too many", `format("%s", eaf_reference, contact_name)`,
			`format's text "%s" has 1 place for a value (%s) and is given 2 values: each lead's value would end in Go's "%!(EXTRA …)"; write a %s for each value (at column 25)`},
		{"a number's verb given text", `format("ref %05d", eaf_reference)`,
			`format's %05d writes a number, and its value is text (a payload's field is, even when it holds digits): each lead's value would be Go's "%!d(string=…)"; write %s (at column 25)`},
		{"a spreadsheet's layout", `formatDate(eaf_date, "YYYY-MM-DD")`,
			`test.yaml:7: rule "r": contact.x: expression: formatDate's layout "YYYY-MM-DD" is written as other languages write one, and its letters would reach the CRM as they are: ` +
				`a layout is written as Go writes one, by example: the time Mon Jan 2 15:04:05 2006 as the date should look (2006 the year, 01 the month, 02 the day, 15:04:05 the time): write "2006-01-02" (at column 39)`},
		{"strftime's layout", `formatDate(eaf_date, "%d/%m/%Y %H:%M", "Europe/London")`, `write "02/01/2006 15:04"`},
		{"Java's layout", `formatDate(eaf_date, "dd.MM.yyyy HH:mm:ss")`, `write "02.01.2006 15:04:05"`},
		{"no part of a date", `formatDate(eaf_date, "date")`,
			`formatDate's layout "date" holds no part of a date, so it would be every lead's value: a layout is written as Go writes one`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(head+"      x: {expr: '"+tc.expr+"'}\n"), "hubspot")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
	for _, ok := range []string{
		`format("%s – %s (%s)", email_source, eaf_reference, contact_name)`,
		`format("100%% %s %v %q %x %-10s|", contact_name, contact_name, contact_name, contact_name, contact_name)`,
		`format("%d %.2f %s", eaf_timestamp, eaf_timestamp, eaf_timestamp)`,
		`format(contact_name)`,
		`format("%*d", 5, eaf_timestamp)`,
		`formatDate(eaf_date, "2006-01-02T15:04:05Z", "UTC")`,
		`formatDate(eaf_date, "Monday 2 January 2006 kl. 15.04", "Europe/London")`,
		`formatDate(eaf_date, contact_name)`,
	} {
		if _, err := Parse("test.yaml", []byte(head+"      x: {expr: '"+ok+"'}\n"), "hubspot"); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

// TestFormatWritesAWholeNumberInDigits: the README says format's %s and
// %v write a payload's number in plain digits, and a documented whole
// number (eaf_timestamp) given to %s reached the CRM as
// "%!s(int64=1630906086)", and to %.2f as "%!f(int64=1630906086)".
func TestFormatWritesAWholeNumberInDigits(t *testing.T) {
	r := mustParse(t, `rules:
  - name: r
    source: eaf
    event: email_lead
    contact:
      email: contact_email
      x: {expr: 'format("%s|%v|%.2f|%d|%5s|", eaf_timestamp, eaf_timestamp, eaf_timestamp, eaf_timestamp, 42)'}
`)
	body, err := os.ReadFile(webhooksDir + "/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	res := r.Map(testEvent("eaf", "email_lead", "k", body))
	if len(res.Ops) == 0 {
		t.Fatalf("not mapped: %+v", res)
	}
	if got, want := res.Ops[0].Properties["x"], "1630906086|1630906086|1630906086.00|1630906086|   42|"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestAKeyInsideTheExpressionsQuotesIsSaidSo: `{expr: 'formatDate(eaf_date,
// "2006-01-02"), write: create'}`, the quote put after write: create, was
// refused with expr's `unexpected token Operator(",")` alone. It is said
// to be the property's key inside the quotes, with the line as meant; a
// comma out of any call, where commas go.
func TestAKeyInsideTheExpressionsQuotesIsSaidSo(t *testing.T) {
	const head = `rules:
  - name: r
    source: eaf
    event: email_lead
    contact:
      email: contact_email
`
	for prop, want := range map[string]string{
		`closedate: {expr: 'formatDate(eaf_date, "2006-01-02"), write: create'}`: `contact.closedate: expression: write: is inside the expression's quotes, so it is read as part of it: ` +
			`end the quote before the comma, {expr: 'formatDate(eaf_date, "2006-01-02")', write: create} (unexpected token Operator(",")) (at column 60)`,
		`phone: {expr: 'phone(contact_phone),write:add'}`: `{expr: 'phone(contact_phone)', write: add}`,
		`name: {expr: 'contact_name, contact_email'}`:     `contact.name: expression: a "," outside the ( ) of a call: values are apart by commas only inside one, as joinNonEmpty(" ", a, b) (unexpected token Operator(","))`,
	} {
		_, err := Parse("test.yaml", []byte(head+"      "+prop+"\n"), "hubspot")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s:\ngot  %v\nwant %s", prop, err, want)
		}
	}
}

// TestATextPlusADurationSaysToReadATime: formatDate(syncd.received_at +
// duration("336h"), ...), a close date 14 days on, was refused with expr's
// "mismatched types string and time.Duration", which does not say that
// the receipt is text to be read as a time first. It says so, with the
// way to 14 days later.
func TestATextPlusADurationSaysToReadATime(t *testing.T) {
	const yaml = `rules:
  - name: r
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: payload.location.id
      closedate: {expr: 'formatDate(syncd.received_at + duration("336h"), "2006-01-02")'}
`
	want := `deal.closedate: expression: a text and a duration: a payload's time is text, read it as a time first, as ` +
		`localTime(x, "Europe/Copenhagen").AddDate(0, 0, 14) for 14 days later, or date(x) + duration("2h") ` +
		`(invalid operation: + (mismatched types string and time.Duration)) (at column`
	if _, err := Parse("test.yaml", []byte(yaml), "hubspot"); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
	ok := strings.Replace(yaml, "syncd.received_at + duration", "date(syncd.received_at) + duration", 1)
	if _, err := Parse("test.yaml", []byte(ok), "hubspot"); err != nil {
		t.Fatal(err)
	}
}
