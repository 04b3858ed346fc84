package mapping

import (
	"regexp"
	"strings"
	"testing"
)

// TestCheckExamplesGivesAnExampleItsReceipt: an example body has no
// receipt, so syncd.received_at was "" in syncd validate and a property
// made of it ("formatDate(syncd.received_at, ...)", the README's way to
// the Danish day) was left out, never checked: a day written as
// "04/12/2026" into a HubSpot date field passed validate, and the CRM
// refused every lead with it. The example is taken as received now.
func TestCheckExamplesGivesAnExampleItsReceipt(t *testing.T) {
	const yaml = `fields:
  deal:
    syncd_enquiry_day: {type: date}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: payload.location.id
      syncd_enquiry_day: {expr: 'formatDate(syncd.received_at, "02/01/2006", "Europe/Copenhagen")'}
`
	r, err := Parse("test.yaml", []byte(yaml), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	isoDay := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	var seen []string
	day := func(typ, v string, _ map[string]string) string {
		seen = append(seen, v)
		if typ == "date" && !isoDay.MatchString(v) {
			return "want YYYY-MM-DD"
		}
		return ""
	}
	_, _, errs := r.CheckExamples(webhooksDir, day)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `test.yaml:12: deal property syncd_enquiry_day (date): "`) {
		t.Fatalf("a day written as DD/MM/YYYY into a date field: got %q (values checked: %q)", errs, seen)
	}
}
