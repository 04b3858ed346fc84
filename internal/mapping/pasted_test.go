package mapping

import (
	"errors"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestTypographicQuotesAreNamed: an operator copies an example from the
// README into a mail or a word processor, which makes its straight quotes
// typographic, and pastes it into a mapping file. `{const: “lead”}` was
// accepted, and the contact's lifecycle stage sent as “lead”, quotes and
// all (HubSpot refuses such an option with the lead); an expression's
// quote was "unrecognized character: U+201C" with nothing to do. Each
// value or key in typographic quotes is named with its line and column,
// exact in a file saved by Notepad (a byte order mark, CRLF line ends),
// and what to type; inside an expression the quote is named as one. A
// value in straight quotes keeps the typographic ones it holds.
func TestTypographicQuotesAreNamed(t *testing.T) {
	src := "\ufeff# pasted from a mail\r\nrules:\r\n  - name: lead\r\n    source: lokalebasen\r\n    event: enquiry_created\r\n" +
		"    contact:\r\n      email: payload.client.email\r\n      lifecyclestage: {const: “lead”, write: create}\r\n" +
		"      „company“: payload.client.company\r\n    deal:\r\n      dealname: ‘Lokalebasen’\r\n"
	_, err := Parse("lb.yaml", []byte(src), "hubspot")
	var errs LoadErrors
	if !errors.As(err, &errs) || len(errs) != 3 {
		t.Fatalf("want 3 errors, got %v", err)
	}
	for i, want := range []string{
		`lb.yaml:8: column 31: “lead” is in typographic quotes`,
		`lb.yaml:9: column 7: „company“ is in typographic quotes`,
		`lb.yaml:11: column 17: ‘Lokalebasen’ is in typographic quotes`,
	} {
		if got := errs[i].Error(); !strings.HasPrefix(got, want) || !strings.Contains(got, "type straight quotes") {
			t.Errorf("error %d: %s\nwant %s…", i+1, got, want)
		}
	}

	_, err = Parse("lb.yaml", []byte(strings.Replace(strings.Replace(strings.Replace(src, "“lead”", "lead", 1),
		"„company“", "company", 1), "‘Lokalebasen’", "{expr: 'payload.enquiry.type == “extra” ? \"a\" : \"b\"'}", 1)), "hubspot")
	if err == nil || !strings.Contains(err.Error(), "lb.yaml:11: ") || !strings.Contains(err.Error(), "U+201C") ||
		!strings.Contains(err.Error(), "a typographic quote") {
		t.Fatalf("a typographic quote in an expression: %v", err)
	}

	r, err := Parse("lb.yaml", []byte(strings.Replace(strings.Replace(strings.Replace(src, "“lead”", "lead", 1),
		"„company“", "company", 1), "‘Lokalebasen’", `{const: '“Villa” Lokalebasen'}`, 1)), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	res := r.Map(testEvent(syncd.KindLokalebasen, "enquiry_created", "k", []byte(`{"payload":{"client":{"email":"a@b.dk"}}}`)))
	if res.State != syncd.MapMapped || res.Ops[0].Properties["lifecyclestage"] != "lead" || res.Ops[1].Properties["dealname"] != "“Villa” Lokalebasen" {
		t.Fatalf("%s %s %v %v", res.State, res.Reason, res.Ops[0].Properties, res.Ops[1].Properties)
	}
}

// TestAKeyWithAnInvisibleBlankIsNamed: a property name copied from a web
// page with a no-break space after it ("company\u00a0: …"), or a zero-width
// space in it, looks like the name and was accepted as another: HubSpot has
// no property "company\u00a0" and refuses the lead with it. The key is
// refused with its line and the column of the character, in a file with a
// byte order mark and CRLF line ends too.
func TestAKeyWithAnInvisibleBlankIsNamed(t *testing.T) {
	src := "\ufeffrules:\r\n  - name: lead\r\n    source: lokalebasen\r\n    event: enquiry_created\r\n" +
		"    contact:\r\n      email: payload.client.email\r\n      company\u00a0: payload.client.company\r\n" +
		"    deal:\r\n      deal\u200bname: {const: d}\r\n"
	_, err := Parse("lb.yaml", []byte(src), "hubspot")
	var errs LoadErrors
	if !errors.As(err, &errs) || len(errs) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
	for i, want := range []string{
		`lb.yaml:7: rule "lead": key "company\u00a0": a no-break space (U+00A0) at column 14`,
		`lb.yaml:9: rule "lead": key "deal\u200bname": an invisible character (U+200B) at column 11`,
	} {
		if got := errs[i].Error(); !strings.HasPrefix(got, want) || !strings.Contains(got, "type a plain space") {
			t.Errorf("error %d: %s\nwant %s…", i+1, got, want)
		}
	}
}

// TestAMergeKeyIsNamedAsOne: a colleague's mapping sharing a rule's
// source and event with a YAML merge key (`<<: *common`) was refused with
// `unknown key "<<" (want name, …)`, as if "<<" were a misspelt name, or,
// in a contact or deal, as a property "<<". It is named as a merge key,
// which syncd does not follow, with its line.
func TestAMergeKeyIsNamedAsOne(t *testing.T) {
	for src, want := range map[string]string{
		"rules:\n  - name: lead\n    <<: &common {source: lokalebasen}\n    event: enquiry_created\n" +
			"    contact:\n      email: payload.client.email\n": `lb.yaml:3: rule "lead": <<: a YAML merge key: anchors, aliases and merge keys are not supported, write the values out`,
		"rules:\n  - name: lead\n    source: lokalebasen\n    event: enquiry_created\n" +
			"    contact: &c\n      email: payload.client.email\n    deal:\n      <<: *c\n      dealname: {const: d}\n": `lb.yaml:8: rule "lead": <<: a YAML merge key: anchors, aliases and merge keys are not supported, write the values out`,
		// The anchor in another file (a colleague's rule copied alone): YAML
		// fails on the alias first, and syncd said "a value starting with *
		// is YAML syntax, not text: put the value in quotes".
		"rules:\n  - name: lead\n    <<: *common\n    event: enquiry_created\n" +
			"    contact:\n      email: payload.client.email\n": `lb.yaml:3: <<: a YAML merge key: anchors, aliases and merge keys are not supported, write the values out`,
	} {
		_, err := Parse("lb.yaml", []byte(src), "hubspot")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v\nwant %s", err, want)
		}
	}
}

// TestAFileOfCommentsIsNotCalledEmpty: an operator who comments out every
// rule of a file in nano to switch them off was told "empty file", of a
// file full of text. It is called a file of only comments, with the way
// to switch its rules off; an empty file (or one of blanks, or a byte
// order mark alone) is still called empty.
func TestAFileOfCommentsIsNotCalledEmpty(t *testing.T) {
	for src, want := range map[string]string{
		"# rules:\n#   - name: lead\n#     source: eaf\n": "c.yaml: only comments, no rules: to switch a file's rules off, move the file out of the mapping folder",
		"\ufeff# off for now\r\n":                         "c.yaml: only comments, no rules",
		"":                                                "c.yaml: empty file: want a mapping with rules",
		"\ufeff\r\n  \r\n":                                "c.yaml: empty file: want a mapping with rules",
	} {
		_, err := Parse("c.yaml", []byte(src), "hubspot")
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: %v\nwant %s", src, err, want)
		}
	}
}
