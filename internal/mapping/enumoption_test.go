package mapping

import (
	"strings"
	"testing"
)

// TestCheckExamplesNamesAValueNoDeclaredOptionHas: an operator dropped
// "extra" from a declared enum's options (or the sender sends a value no
// one declared): validate said the examples "map cleanly", and on
// Pipedrive every such lead was then dead-lettered, the field having no
// such option. The example's value is named with the property's line,
// the options declared and what to do.
func TestCheckExamplesNamesAValueNoDeclaredOptionHas(t *testing.T) {
	const yaml = `fields:
  deal:
    syncd enquiry type: {type: enum, options: [client]}
rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      title: payload.location.id
      syncd enquiry type: payload.enquiry.type
`
	r, err := Parse("test.yaml", []byte(yaml), "pipedrive")
	if err != nil {
		t.Fatal(err)
	}
	takesAll := func(string, string, map[string]string) string { return "" }
	_, _, errs := r.CheckExamples(webhooksDir, takesAll)
	want := `test.yaml:12: deal property syncd enquiry type (enum): "extra": not among the options declared (client): ` +
		`the CRM refuses it, and the lead with it: add it to options: (declared at test.yaml:3)`
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), want) {
		t.Fatalf("got %q\nwant %s", errs, want)
	}
	ok := strings.Replace(yaml, "options: [client]", "options: [client, Extra]", 1)
	if r, err = Parse("test.yaml", []byte(ok), "pipedrive"); err != nil {
		t.Fatal(err)
	}
	if _, _, errs := r.CheckExamples(webhooksDir, takesAll); len(errs) != 0 {
		t.Fatalf("a value among the options: %q", errs)
	}
}
