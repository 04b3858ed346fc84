package yamlpos

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"go.yaml.in/yaml/v3"
)

// TestSyntaxPointsAtTheLineToFix parses documents with one mistake each
// (the wrong line marked) with the library, and checks the line Syntax
// gives; the library's own was one early for all but two of these.
func TestSyntaxPointsAtTheLineToFix(t *testing.T) {
	for _, c := range []struct {
		doc  string
		line int
		msg  string
	}{
		{"a: 1\nb: 2\nc: {x: 1\nd: 4\n", 3, `the "{" at column 4 is not closed on its line: end the value with "}"`},
		{"a: 1\nb: 2\nc: [x, 1\nd: 4\n", 3, `the "[" at column 4 is not closed on its line: end the value with "]"`},
		{"a: 1\nb: 2\nc: \"x\" y\nd: 4\n", 3, `the value in double quotes ends at the " in column 6, and what follows it is no YAML: ` +
			`a value holding " is written in single quotes, 'a "b" c', a ' in it doubled`},
		// A tab said which rule it broke, not that YAML takes spaces alone.
		{"a: 1\nb: 2\n\tc: 3\nd: 4\n", 3, "a tab in the indentation (column 1): YAML indents with spaces only: replace the tab " +
			"with spaces, as many as the keys of the block take"},
		{"rules:\n  - name: x\n    source: eaf\n  \tevent: y\n", 4, "a tab in the indentation (column 3): YAML indents with spaces only: " +
			"replace the tab with spaces, as many as the keys of the block take"},
		{"a: {x: 1\n", 1, `the "{" at column 4 is not closed on its line: end the value with "}"`},
		{"rules:\n  - name: x\n    source: eaf\n   event: y\n", 4, "indented 3 spaces, where no key above it is (line 3 is at 4, line 2 at 2): the keys of one block start in the same column"},
		{strings.Repeat("k: v\n", 300) + "a:\n  b: 1\n  c: {x: 1\n  d: 2\n", 303, `the "{" at column 6 is not closed on its line: end the value with "}"`},
		{"a: 1\nb: 2\n c: 3\nd: 4\n", 3, "indented 1 space, where no key above it is (line 2 is at 0): the keys of one block start in the same column"},
		{"a: 1\nb: 2\nc: @x\nd: 4\n", 3, "a value starting with @ is YAML syntax, not text: put the value in quotes"},
		{"a: 1\nb: 2\nc: 'x\nd: 4\n", 3, "a quote opened on this line is never closed: close it where the value ends"},
	} {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(c.doc), &n)
		if err == nil {
			t.Fatalf("%q parsed", c.doc)
		}
		line, msg := Syntax(err.Error(), []byte(c.doc))
		if line != c.line || msg != c.msg {
			t.Errorf("%q: %v\ngot line %d %q, want line %d %q", c.doc, err, line, msg, c.line, c.msg)
		}
	}
}

// TestSyntaxSaysWhenTheFileIsNotUTF8: a file saved as Latin-1 (Windows
// "ANSI") by a Danish or British editor failed with the library's
// "invalid leading UTF-8 octet", which says neither what is wrong with
// the file nor where on the line; now the column of the first byte that
// is not UTF-8 and what to do.
func TestSyntaxSaysWhenTheFileIsNotUTF8(t *testing.T) {
	want := func(b byte, col int) string {
		return fmt.Sprintf("not UTF-8 text: byte 0x%X at column %d (saved as Latin-1 or Windows \"ANSI\"?): save the file as UTF-8", b, col)
	}
	for _, c := range []struct {
		doc  string
		line int
		msg  string
	}{
		{"a: 1\r\nb: K\xf8benhavn\r\n", 2, want(0xF8, 5)},                        // ø, CRLF
		{"\xef\xbb\xbfa: \xa3 1\n", 1, want(0xA3, 4)},                            // £ after a UTF-8 BOM
		{"a: æ\n# hvordan syncd finder \xe6\xf8\xe5\nb: 2\n", 2, want(0xE6, 24)}, // æøå in a comment
		{"a: \"Søren\"\nb: x\xe5", 2, want(0xE5, 5)},                             // å at the end
	} {
		checkSyntax(t, c.doc, c.line, c.msg)
	}
}

// TestSyntaxInUTF16: a file Notepad saved as "Unicode" (UTF-16 with a
// byte order mark) is read by the library, but the line to fix was looked
// for by cutting its bytes at line ends, which splits its characters, so
// the library's line was given: one early or late for these.
func TestSyntaxInUTF16(t *testing.T) {
	for _, c := range []struct {
		doc  string
		line int
	}{
		{"a: 1\r\nb: 2\r\nc: {x: 1\r\nd: 4\r\n", 3},
		{"rules:\n  - name: x\n    source: eaf\n   event: y\n", 4},
		{"a: 1\nb: 2\nc: \"Søren\" y\nd: 4\n", 3},
	} {
		for _, order := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
			src := order.AppendUint16(nil, 0xFEFF)
			for _, u := range utf16.Encode([]rune(c.doc)) {
				src = order.AppendUint16(src, u)
			}
			var n yaml.Node
			err := yaml.Unmarshal(src, &n)
			if err == nil {
				t.Fatalf("%q parsed", c.doc)
			}
			if line, msg := Syntax(err.Error(), src); line != c.line {
				t.Errorf("%q in UTF-16 %v: %v\ngot line %d (%s), want %d", c.doc, order, err, line, msg, c.line)
			}
		}
	}
}

// TestSyntaxNamesAnIndentingTab: a tab an editor put in the indentation
// (invisible on screen) after a {...} value gave only the library's
// "found character that cannot start any token"; the line now says it is
// a tab.
func TestSyntaxNamesAnIndentingTab(t *testing.T) {
	for _, c := range []struct {
		doc  string
		line int
		msg  string
	}{
		{"deal:\n  a: {x: 1}\n\tb: 2\n", 3, "a tab in the indentation (column 1): YAML indents with spaces only: replace the tab with spaces, as many as the keys of the block take"},
		{"deal:\r\n  a: {x: 1}\r\n  \t b: 2\r\n", 3, "a tab in the indentation (column 3): YAML indents with spaces only: replace the tab with spaces, as many as the keys of the block take"},
		{"a: 1\nb: 2\nc: @x\nd: 4\n", 3, "a value starting with @ is YAML syntax, not text: put the value in quotes"},
	} {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(c.doc), &n)
		if err == nil {
			t.Fatalf("%q parsed", c.doc)
		}
		if line, msg := Syntax(err.Error(), []byte(c.doc)); line != c.line || msg != c.msg {
			t.Errorf("%q: %v\ngot line %d %q\nwant line %d %q", c.doc, err, line, msg, c.line, c.msg)
		}
	}
}

// TestSyntaxFindsANoBreakSpace: a line pasted from a web page or an
// e-mail may have a no-break space (U+00A0) where a space belongs; YAML
// reads it as text, so the error came on the next line ("mapping values
// are not allowed in this context" at 3), naming nothing to fix there.
func TestSyntaxFindsANoBreakSpace(t *testing.T) {
	const nbsp = "\u00a0"
	want := func(col int) string {
		return fmt.Sprintf("a no-break space (U+00A0, pasted from a web page or an e-mail?) at column %d: type a plain space", col)
	}
	for _, c := range []struct {
		doc  string
		line int
		msg  string
	}{
		{"contact:\n  email:" + nbsp + "contact_email\n  phone: contact_phone\n", 2, want(9)},
		{"contact:\r\n" + nbsp + " email: contact_email\r\n  phone: contact_phone\r\n", 2, want(1)},
		{"rules:\n  -" + nbsp + "name: x\n    source: eaf\n", 2, want(4)},
	} {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(c.doc), &n)
		if err == nil {
			t.Fatalf("%q parsed", c.doc)
		}
		if line, msg := Syntax(err.Error(), []byte(c.doc)); line != c.line || msg != c.msg {
			t.Errorf("%q: %v\ngot line %d %q\nwant line %d %q", c.doc, err, line, msg, c.line, c.msg)
		}
	}
}

// TestSyntaxNamesTheLineOfAnUnclosedQuote: a value whose closing quote is
// missing (`when: 'a == "b"`, `company: 'x`) was reported where the next
// quote of the file closed it and what followed made no sense, a few
// lines or a rule later, with a message about that line ("mapping values
// are not allowed in this context"); now the line the quote opens on,
// and the line where the library stumbled.
func TestSyntaxNamesTheLineOfAnUnclosedQuote(t *testing.T) {
	for _, c := range []struct {
		doc  string
		line int
		msg  string
	}{
		{"rules:\n  - name: x\n    when: 'a == \"b\"\n    contact:\n      email: 'x'\n", 3,
			"a quote opened on this line is closed only on line 5, by the next quote, and what follows it there is no YAML: close the quote where the value ends"},
		{"contact:\n  company: \"payload.x\n  email: a\n  deal: {name: \"y\"}\n", 2,
			"a quote opened on this line is closed only on line 4, by the next quote, and what follows it there is no YAML: close the quote where the value ends"},
		{"c:\n  p: {expr: 'phone(x)}\n  f: {expr: 'first(x)'}\n", 2,
			"a quote opened on this line is closed only on line 3, by the next quote, and what follows it there is no YAML: close the quote where the value ends"},
		{"a: 1\r\nb: 'x\r\nc: 3\r\n", 2, "a quote opened on this line is never closed: close it where the value ends"},
	} {
		checkSyntax(t, c.doc, c.line, c.msg)
	}
}

// TestSyntaxSaysWhenUTF16HasNoByteOrderMark: a file in UTF-16 without a
// byte order mark (as some editors and PowerShell's redirections write
// "Unicode") was "control characters are not allowed" on line 1, which
// says nothing an operator can find in the file (its NULs are not shown).
// It is named as UTF-16 without a byte order mark, to save as UTF-8.
func TestSyntaxSaysWhenUTF16HasNoByteOrderMark(t *testing.T) {
	for _, order := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
		var src []byte
		for _, u := range utf16.Encode([]rune("rules:\n  - name: Søren\n")) {
			src = order.AppendUint16(src, u)
		}
		var n yaml.Node
		err := yaml.Unmarshal(src, &n)
		if err == nil {
			t.Fatalf("UTF-16 %v without a byte order mark parsed", order)
		}
		if line, msg := Syntax(err.Error(), src); line != 1 || !strings.Contains(msg, "UTF-16 without a byte order mark") ||
			!strings.Contains(msg, "save the file as UTF-8") {
			t.Errorf("UTF-16 %v: %v\ngot line %d: %s", order, err, line, msg)
		}
	}
}

// TestSyntaxSaysToQuoteACronSchedule: a schedule written as cron and
// robfig/cron write it (sync.schedule: */5 * * * *, report.schedule:
// @daily) is YAML syntax unquoted (an alias, a reserved character): the
// library said only "did not find expected alphabetic or numeric
// character" or "found character that cannot start any token", which
// names nothing to do. The line now says to quote the value, and how.
func TestSyntaxSaysToQuoteACronSchedule(t *testing.T) {
	const quote = "a value starting with %c is YAML syntax, not text: put the value in quotes"
	for _, c := range []struct {
		doc  string
		line int
		msg  string
	}{
		{"sync:\n  schedule: */5 * * * *   # every 5 minutes\nlog: {level: info}\n", 2,
			fmt.Sprintf(quote, '*')},
		{"report:\n  schedule: @daily\r\n  keep_days: 9\n", 2,
			fmt.Sprintf(quote, '@')},
		{"sync:\n  schedule: @every 1m\n", 2,
			fmt.Sprintf(quote, '@')},
		{"to:\n  - `ops` <ops@example.com>\n", 2,
			fmt.Sprintf(quote, '`')},
		{"crm: {kind: hubspot}\nhubspot:\n  token: `pat-na1-secret`  # a secret\n", 3,
			fmt.Sprintf(quote, '`')}, // not echoed
	} {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(c.doc), &n)
		if err == nil {
			t.Fatalf("%q parsed", c.doc)
		}
		if line, msg := Syntax(err.Error(), []byte(c.doc)); line != c.line || msg != c.msg {
			t.Errorf("%q: %v\ngot line %d %q\nwant line %d %q", c.doc, err, line, msg, c.line, c.msg)
		}
	}
}

// TestSyntaxSaysWhichIndentationIsWrong: a key indented one space too
// many or too few in a mapping file was named with the library's words
// alone, "did not find expected key", "did not find expected '-'
// indicator" or "mapping values are not allowed in this context", which
// do not say that the indentation is wrong, nor, when the first key of a
// block was the one moved, that the line named (the block's second key,
// where the parser stumbled) is in the column the block's other keys are.
// The line's indentation is named with the columns of the keys above it,
// down to the first left of it.
func TestSyntaxSaysWhichIndentationIsWrong(t *testing.T) {
	const rule = "rules:\n" + // line 1
		"  - name: x\n" + // 2
		"    description: >-\n" + // 3
		"      A client asked: where?\n" + // 4, text: no key
		"    source: lokalebasen\n" + // 5
		"    contact:\n" + // 6
		"      email: payload.client.email\n" + // 7
		"      phone: {expr: 'phone(payload.client.phone)'}\n" + // 8
		"      company: payload.client.company\n" + // 9
		"    deal:\n" + // 10
		"      dealname: payload.location.id\n" + // 11
		"      pipeline: {const: default}\n" // 12
	const same = ": the keys of one block start in the same column"
	for _, c := range []struct {
		name, from, to string
		line           int
		msg            string
	}{
		{"a key one space further in", "      company:", "       company:", 9,
			"indented 7 spaces, where no key above it is (line 8 is at 6)" + same + ""},
		{"a key one space less in", "      company:", "     company:", 9,
			"indented 5 spaces, where no key above it is (line 8 is at 6, line 6 at 4)" + same + ""},
		{"a key under a plain value", "      phone:", "        phone:", 8,
			"indented 8 spaces, where no key above it is (line 7 is at 6)" + same + ""},
		{"a block's first key moved", "      dealname:", "     dealname:", 12,
			"indented 6 spaces, where no key above it is (line 11 is at 5)" + same + ""},
		{"a rule's first key after its name", "    description:", "   description:", 3,
			"indented 3 spaces, where no key above it is (line 2 is at 4 and 2)" + same + ""},
		{"a rule's name further in than its keys", "  - name: x", "    - name: x", 3,
			"indented 4 spaces, in line with the \"-\" of line 2, not with the key after it (at 6): " +
				"the keys of a list item start in the same column as its first, and a block that is no list has no \"-\""},
		{"a block written as a list", "      email: payload.client.email\n", "      - email: payload.client.email\n", 8,
			"indented 6 spaces, in line with the \"-\" of line 7, not with the key after it (at 8): " +
				"the keys of a list item start in the same column as its first, and a block that is no list has no \"-\""},
		{"a rule's key one space less in", "    deal:", "   deal:", 10,
			"indented 3 spaces, where no key above it is (line 9 is at 6, line 6 at 4, line 2 at 2)" + same + ""},
	} {
		t.Run(c.name, func(t *testing.T) { checkSyntax(t, strings.Replace(rule, c.from, c.to, 1), c.line, c.msg) })
	}
}

// TestSyntaxSaysAQuoteInsideQuotesEndsTheValue: a condition written in
// double quotes around a text in double quotes (when: "type ==
// "client""), or in single quotes around single ones, was refused with
// the library's "did not find expected key" alone; the quote that ended
// the value is named with its column, and how such a value is written.
// The value is not echoed: in a configuration it may be a secret.
func TestSyntaxSaysAQuoteInsideQuotesEndsTheValue(t *testing.T) {
	const fix = `a value holding " is written in single quotes, 'a "b" c', a ' in it doubled`
	for _, c := range []struct {
		doc  string
		line int
		msg  string
	}{
		{"rules:\n  - name: x\n    when: \"payload.enquiry.type == \"client\"\"\n    source: eaf\n", 3,
			`the value in double quotes ends at the " in column 36, and what follows it is no YAML: ` + fix},
		{"rules:\n  - name: x\n    when: 'payload.enquiry.type == 'client''\n    source: eaf\n", 3,
			`the value in single quotes ends at the ' in column 36, and what follows it is no YAML: ` + fix},
		{"rules:\n  - name: x\n    when: 'it''s' x\n    source: eaf\n", 3,
			`the value in single quotes ends at the ' in column 17, and what follows it is no YAML: ` + fix},
		{"rules:\n  - name: x\n    when: \"a \\\"b\\\"\" c\n    source: eaf\n", 3,
			`the value in double quotes ends at the " in column 19, and what follows it is no YAML: ` + fix},
	} {
		checkSyntax(t, c.doc, c.line, c.msg)
	}
}

// TestSyntaxSaysAColonInAValueStartsAKey: a value with a colon and a
// blank in it, not in quotes (note: Call: after 5pm, a deal name
// "Lead: portal", a schedule's comment pasted onto its line), was refused
// with the library's "mapping values are not allowed in this context"
// alone, which says neither what nor where on the line; the colon is
// named with its column, and that the value goes in quotes. The value is
// not echoed: in a configuration it may be a secret.
func TestSyntaxSaysAColonInAValueStartsAKey(t *testing.T) {
	const fix = ", which YAML reads as the start of another key: put the whole value in quotes, 'like: this', " +
		"or the key, if the colon is part of its name"
	for _, c := range []struct {
		doc  string
		line int
		msg  string
	}{
		{"rules:\n  - name: x\n    contact:\n      note: Call: after 5pm\n      email: e\n", 4,
			"a colon and a blank in a value not in quotes, at column 17" + fix},
		{"rules:\n  - name: Lead: portal\n    source: eaf\n", 2,
			"a colon and a blank in a value not in quotes, at column 15" + fix},
		{"a: 1\r\nnote: Call:\r\nb: 2\r\n", 2,
			"a colon at the end of a value not in quotes, at column 11" + fix},
		{"a: 1\nnote: see https://x.dk: now # a comment: here\nb: 2\n", 2,
			"a colon and a blank in a value not in quotes, at column 23" + fix},
		{"a:\n  Note: to self: x\n", 2, // a Pipedrive field's name holding a colon
			"a colon and a blank in a value not in quotes, at column 16" + fix},
		{"a: 1\nnote: Øster Allé: 3\n", 2, // columns count characters, not bytes
			"a colon and a blank in a value not in quotes, at column 17" + fix},
	} {
		checkSyntax(t, c.doc, c.line, c.msg)
	}
}

// TestSyntaxSaysWhatALineLacks: a key with no blank after its colon
// (company:payload.client.company), a line with no colon, a list item's
// "-" with no blank after it, a new list item out of line with the
// others, a { or [ never closed on its line and a colon inside a {...}
// value were refused with the library's words alone ("could not find
// expected ':'", "did not find expected '-' indicator", "did not find
// expected key", "did not find expected ',' or '}'"), which say neither
// what is missing nor where on the line; each is now said, with the
// column. Values are not echoed: in a configuration they may be secrets.
func TestSyntaxSaysWhatALineLacks(t *testing.T) {
	for _, c := range []struct {
		doc  string
		line int
		msg  string
	}{
		{"a:\n  b: 1\n  c:d.e\n  f: 2\n", 3, "the colon at column 4 has no blank after it, so YAML reads the line as one word, " +
			"not a key and its value: type a space after the colon"},
		{"a:\n  b: 1\n  c d.e\n  f: 2\n", 3, `no colon on this line: a key and its value are written "key: value"`},
		{"rules:\n  - name: a\n    b: 1\n  -name: x\n    c: 2\n", 4, `the "-" at column 3 has no blank after it: ` +
			`a list item is written "- " and then its first key`},
		{"rules:\n  - name: a\n    b: 1\n- name: x\n  c: 2\n", 4, `a list item whose "-" is at column 1, where that of line 2 is at 3: ` +
			`the items of one list start in the same column`},
		{"a:\n  b: {x: 'y}'\n  c: 1\n", 2, `the "{" at column 6 is not closed on its line: end the value with "}"`},
		{"a:\n  b: [x, y\n  c: 1\n", 2, `the "[" at column 6 is not closed on its line: end the value with "]"`},
		{"a:\n  b: {x: Lead: web, y: z}\n  c: 1\n", 2, "a colon and a blank in a value not in quotes, at column 14, " +
			"which YAML reads as the start of another key: put the whole value in quotes, 'like: this', or the key, if the colon is part of its name"},
	} {
		checkSyntax(t, c.doc, c.line, c.msg)
	}
}

// checkSyntax parses doc, which must fail, and checks that Syntax names
// line and says msg of the library's error.
func checkSyntax(t *testing.T, doc string, line int, msg string) {
	t.Helper()
	var n yaml.Node
	err := yaml.Unmarshal([]byte(doc), &n)
	if err == nil {
		t.Fatalf("%q parsed", doc)
	}
	if gotLine, gotMsg := Syntax(err.Error(), []byte(doc)); gotLine != line || gotMsg != msg {
		t.Errorf("%q: %v\ngot line %d %q\nwant line %d %q", doc, err, gotLine, gotMsg, line, msg)
	}
}

// TestSyntaxNamesAKeyMovedOutOfItsBlock: a key moved two spaces out of its
// block, in line with the block's own key (company: at the rule's keys'
// column, between contact keys), made YAML read the key after it as more
// of its value; the line named was that next key, which is where it
// should be, and when that key's value was a {...} one, as most of the
// shipped files' are, the message blamed a colon inside the braces, at a
// column past them, and said to put the value in quotes. The moved key
// is named, with where its block's keys are; and a key moved in under a
// plain value, next to a {...} value, is said to be indented so, not a
// colon in a value.
func TestSyntaxNamesAKeyMovedOutOfItsBlock(t *testing.T) {
	const rule = "rules:\n" + // line 1
		"  - name: x\n" + // 2
		"    source: lokalebasen\n" + // 3
		"    contact:\n" + // 4
		"      # who asked\n" + // 5
		"      email: payload.client.email\n" + // 6
		"      firstname: {expr: 'firstName(payload.client.name)', write: create}\n" + // 7
		"      company: payload.client.company\n" + // 8
		"      lifecyclestage: {const: lead, write: create}\n" + // 9
		"      jobtitle: payload.client.title\n" + // 10
		"    deal:\n" + // 11
		"      dealname: payload.location.id\n" // 12
	const same = ": the keys of one block start in the same column"
	for _, c := range []struct {
		name, from, to string
		line           int
		msg            string
	}{
		{"a key moved out before a {...} value", "      company:", "    company:", 8,
			"indented 4 spaces, out of its block (line 7 and line 9 are at 6)" +
				same + ", and YAML stumbles only on line 9"},
		{"a key moved out before a plain value", "      lifecyclestage:", "    lifecyclestage:", 9,
			"indented 4 spaces, out of its block (line 8 and line 10 are at 6)" +
				same + ", and YAML stumbles only on line 10"},
		{"a block's first key moved out to its block's key", "      email:", "    email:", 6,
			"indented 4 spaces, in line with line 4, whose block's keys are at 6 (line 7)" +
				same + ", and YAML stumbles only on line 7"},
		{"a key moved in under a plain value, with a {...} value", "      lifecyclestage:", "        lifecyclestage:", 9,
			"indented 8 spaces, where no key above it is (line 8 is at 6)" + same + ""},
	} {
		t.Run(c.name, func(t *testing.T) { checkSyntax(t, strings.Replace(rule, c.from, c.to, 1), c.line, c.msg) })
	}
}

// TestSyntaxSaysAHashInAValueStartsAComment: {const: Lead #1} was said
// to be a "{" not closed on its line, "end the value with }", which it
// is: YAML reads " #" as the start of a comment, and the "}" after it as
// part of the comment. The comment is named, and that such a value goes
// in quotes; the value is not echoed (a configuration's may be a secret).
func TestSyntaxSaysAHashInAValueStartsAComment(t *testing.T) {
	checkSyntax(t, "a:\n  b: {const: Lead #1}\n  c: 1\n", 2, `the " #" at column 19 starts a comment, so the "}" after it `+
		`is not read and the "{" at column 6 is never closed: put the value holding the # in quotes, 'like #this'`)
}

// TestSyntaxSaysAValueStartingWithABangIsATag: an expression that starts
// with expr's "not" written without quotes (when: !hasPrefix(x, "t"),
// {expr: !phone(x)}) is a YAML tag followed by what YAML cannot take: the
// library said only "did not find expected key" or "did not find
// expected whitespace or line break". The line now says that the ! makes
// a tag, and to quote the value; a ! inside quotes is no tag.
func TestSyntaxSaysAValueStartingWithABangIsATag(t *testing.T) {
	const tag = "a value not in quotes that starts with ! is a YAML tag, not text: put the whole value in single quotes"
	for _, c := range []struct {
		doc  string
		line int
		msg  string
	}{
		{"rules:\n  - name: r\n    when: !hasPrefix(payload.client.email, \"test\")\n    event: e\n", 3, tag},
		{"contact:\r\n  phone: {expr: !phone(payload.client.phone)}\r\n", 2, tag},
		{"contact:\n  phone: [a, !phone(x, \"y\")]\n", 2, tag},
		{"contact:\n  phone: {expr: 'a, !b' c}\n", 2, "did not find expected ',' or '}'"},
	} {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(c.doc), &n)
		if err == nil {
			t.Fatalf("%q parsed", c.doc)
		}
		if line, msg := Syntax(err.Error(), []byte(c.doc)); line != c.line || !strings.HasPrefix(msg, c.msg) || strings.Contains(c.msg, tag) != strings.Contains(msg, tag) {
			t.Errorf("%q: %v\ngot line %d %q\nwant line %d %q", c.doc, err, line, msg, c.line, c.msg)
		}
	}
}

// TestSyntaxSaysToQuoteAValueStartingWithAnIndicator: a value not in
// quotes that starts with %, | or > followed by text, or with "- " (a
// generated password), is YAML syntax; the library said only "found
// character that cannot start any token", "did not find expected comment
// or line break" or "block sequence entries are not allowed in this
// context", at the right line but with nothing to do. The line now says
// to quote the value, which it does not echo.
func TestSyntaxSaysToQuoteAValueStartingWithAnIndicator(t *testing.T) {
	for _, c := range []struct {
		value, msg string
	}{
		{"%Xq9-pass", "a value starting with % is YAML syntax, not text: put the value in quotes"},
		{"|Xq9-pass", "a value starting with | is YAML syntax, not text: put the value in quotes"},
		{">Xq9-pass", "a value starting with > is YAML syntax, not text: put the value in quotes"},
		{"- Xq9-pass", "a value starting with - and a blank is a list's item, not text: put the value in quotes"},
	} {
		checkSyntax(t, "report:\n  mail:\n    username: r\n    password: "+c.value+"\n    host: h\n", 4, c.msg)
	}
}
