package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestHTMLTextOfRealisticMessages: each message of testdata/htmltext (the
// HTML of Outlook, Gmail and Apple Mail with their head, styles, quoted
// replies and tables; a portal's enquiry email laid out in tables; lists;
// PHP's nl2br) reads as the .txt beside it, as a salesperson reads it in the
// CRM's plain text field (go test -run TestHTMLTextOfRealisticMessages
// -update rewrites the .txt files: read their diff).
func TestHTMLTextOfRealisticMessages(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "htmltext", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatal("no messages in testdata/htmltext", err)
	}
	for _, f := range files {
		in, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got := HTMLText(string(in)) + "\n"
		want := strings.TrimSuffix(f, ".html") + ".txt"
		if *update {
			if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, err := os.ReadFile(want)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(b) {
			t.Errorf("%s reads\n%s\nwant (%s)\n%s", f, got, want, b)
		}
	}
}

// TestHTMLTextSeparatesTableCells: a table's cells ran together ("Budget£2,000
// pcm" for the row Budget | £2,000 pcm), and Outlook's table, a paragraph in
// each cell, became a line per cell with an empty line after each. The cells
// of a row are one line, separated by " | "; empty cells (a layout's
// spacers) add nothing; the white space between rows adds no empty line.
func TestHTMLTextSeparatesTableCells(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<table><tr><td>Budget</td><td>£2,000 pcm</td></tr><tr><td>Bedrooms</td><td>2</td></tr></table>",
			"Budget | £2,000 pcm\nBedrooms | 2"},
		{"<table>\n  <tr><th>Name</th><td>Jo</td></tr>\n  <tr><th>Budget</th><td>£2,000</td></tr>\n</table>\n<p>Thanks</p>",
			"Name | Jo\nBudget | £2,000\n\nThanks"},
		{"<table><tr><td><p class=MsoNormal>Budget<o:p></o:p></p></td>\n<td><p class=MsoNormal>£2,000<o:p></o:p></p></td></tr></table>",
			"Budget | £2,000"},
		{"<table><tr><td><p>Budget</p></td><td><p>£2,000</p></td></tr><tr><td><p>Beds</p></td><td><p>2</p></td></tr></table>",
			"Budget | £2,000\nBeds | 2"},
		{"<table><tr><td>&nbsp;</td><td>Budget</td><td></td><td>£2,000</td><td> </td></tr></table>", "Budget | £2,000"},
		{"<tr><td>Budget</td><td>£2,000</td></tr>", "Budget | £2,000"},
		{"<table><tr><td>Message</td><td>Hi,<br>Can I view?<br></td></tr></table>", "Message | Hi,\nCan I view?"},
		{"<td>Email</td><td><a href=\"mailto:jo@example.com\">jo@example.com</a></td>", "Email | jo@example.com"},
		{"<table><tr><td>Area</td><td><table><tr><td>N1</td><td>N5</td></tr></table></td></tr></table>", "Area\n\nN1 | N5"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("HTMLText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestHTMLTextKeepsLinkAddresses: a link's address was dropped, so "see <a
// href=…>this listing</a>" told the salesperson nothing of which listing.
// The address follows the text in angle brackets, as mail clients write a
// link in plain text, unless the text says it (the address itself, a mail
// address, a telephone number written nationally, a web address a mail
// client or a tracker rewrote); a link without text is its address; an
// address a reader cannot follow ("#top", a relative path, javascript:) is
// left out.
func TestHTMLTextKeepsLinkAddresses(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`see <a href="https://www.rightmove.co.uk/properties/123">this listing</a>, please`,
			"see this listing <https://www.rightmove.co.uk/properties/123>, please"},
		{`<a href="https://www.zoopla.co.uk/to-rent/details/1/">https://www.zoopla.co.uk/to-rent/details/1/</a>`,
			"https://www.zoopla.co.uk/to-rent/details/1/"},
		{`<a href="http://www.acme.example/">acme.example</a>`, "acme.example"},
		{`<a href="https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fx.example">https://x.example/a</a>`,
			"https://x.example/a"},
		{`<a href="https://x.example/listing/42">https://x.example/listing/...</a>`,
			"https://x.example/listing/... <https://x.example/listing/42>"},
		{`mail <a href="mailto:jo@example.com?subject=Flat">Jo Bloggs</a>`, "mail Jo Bloggs <jo@example.com>"},
		{`<a href="mailto:jo@example.com">jo@example.com</a>`, "jo@example.com"},
		{`<a href="tel:+447700900123">07700 900123</a>`, "07700 900123"},
		{`<a href="tel:+447700900123">call me</a>`, "call me <+447700900123>"},
		{`<a href="tel:+447700900123">0800 900123</a>`, "0800 900123 <+447700900123>"},
		{`<a href="https://x.example/plan.pdf"><img src="cid:1"></a>`, "https://x.example/plan.pdf"},
		{`<a href="#top">top</a> <a href="/listing/1">here</a> <a href="javascript:void(0)">x</a> <a>y</a>`, "top here x y"},
		{`<p>see <a href="https://x.example/1">one</a> and <a href="https://x.example/2">two`, "see one <https://x.example/1> and two <https://x.example/2>"},
		{`<ul><li><a href="https://x.example/1">Flat 1</a></li></ul>`, "- Flat 1 <https://x.example/1>"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("HTMLText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestHTMLTextDropsWhatTheClientDidNotWrite: a whole HTML document's <title>
// (the subject line a mail client puts there) was kept as if it were the
// first line of the client's message. A document's title, styles, scripts
// and templates are not the message.
func TestHTMLTextDropsWhatTheClientDidNotWrite(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<html><head><title>Viewing request</title><style>p{margin:0}</style></head><body><p>Hi</p></body></html>", "Hi"},
		{"<title>RE: 14 Elm Road</title>Hello<script>x()</script><template><p>t</p><a href=\"https://x.example\"></a></template>", "Hello"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("HTMLText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestHTMLTextKeepsLineBreaks: a lone CR (the line end of old Mac software
// and some web forms) became a space, joining the client's lines; the white
// space between two block elements ("<div>a</div>\n<div>b</div>", each
// paragraph of Outlook's HTML) made an empty line between them. A lone CR,
// NEL and U+2028 end a line, U+2029 a paragraph; runs of empty lines are
// one.
func TestHTMLTextKeepsLineBreaks(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Hello\rI would like a viewing.\r\rThanks\rJo", "Hello\nI would like a viewing.\n\nThanks\nJo"},
		{"Fish & chips\rThanks", "Fish & chips\nThanks"},
		{"one\u2028two\u2029three\u0085four", "one\ntwo\n\nthree\nfour"},
		{"<div>a</div>\n<div>b</div>\n  <div>c</div>", "a\nb\nc"},
		{"<p class=MsoNormal>Kind regards,<o:p></o:p></p>\n<p class=MsoNormal>Jo<o:p></o:p></p>\n<p class=MsoNormal><o:p>&nbsp;</o:p></p>\n<p class=MsoNormal>PS<o:p></o:p></p>",
			"Kind regards,\nJo\n\nPS"},
		{"a<br><br><br><br><br>b", "a\n\nb"},
		{"a<p>b</p>c", "a\n\nb\n\nc"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("HTMLText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestHTMLTextMarksListsAndQuotes: list items lost their bullets and
// numbers ("in order of preference: 1. Saturday 2. Sunday" read as two
// lines, and "option 2" meant nothing), and a quoted reply read as the
// client's own words. Items start with "- ", or their number in an ordered
// list; quoted lines with "> ", one per level.
func TestHTMLTextMarksListsAndQuotes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<ol><li>Saturday</li><li>Sunday</li></ol>", "1. Saturday\n2. Sunday"},
		{`<ol start="3"><li>c</li><li>d</li></ol>`, "3. c\n4. d"},
		{"<p>Need:</p><ul><li>garden<ul><li>south facing</li></ul></li><li>parking</li></ul><p>Thanks</p>",
			"Need:\n\n- garden\n- south facing\n- parking\n\nThanks"},
		{"<li>loose</li>", "- loose"},
		{"Yes please.<blockquote>Would you like a viewing?<blockquote>Is it free?</blockquote></blockquote>",
			"Yes please.\n\n> Would you like a viewing?\n\n> > Is it free?"},
		{"Mine:<blockquote><ol><li>one</li></ol></blockquote>", "Mine:\n\n> 1. one"},
		// a quote that is the whole message sets nothing apart: unmarked
		// (TestAForwardedEnquiryAloneIsNotMarkedAsQuoted)
		{"<blockquote><ol><li>one</li></ol></blockquote>", "1. one"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("HTMLText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestLeadMessageInOutlookHTMLReachesTheCRMReadable: an Estate Agent Feeds
// lead whose contact_message_html is a whole Outlook document reaches both
// CRMs' message property through the shipped mappings as
// testdata/htmltext/outlook.txt: the subject in its <title> left out, the
// table's cells and the link's address kept.
func TestLeadMessageInOutlookHTMLReachesTheCRMReadable(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(webhooksDir, "eaf", "email_lead.json"))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := os.ReadFile(filepath.Join("testdata", "htmltext", "outlook.html"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "htmltext", "outlook.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var payload map[string]any
	if err := json.Unmarshal(body, &payload); err != nil {
		t.Fatal(err)
	}
	payload["contact_message_html"] = string(msg)
	b, _ := json.Marshal(payload)
	path := filepath.Join(t.TempDir(), "email_lead.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	for target, prop := range map[string]string{"hubspot": "description", "pipedrive": "syncd message"} {
		rules, err := Load(filepath.Join(mappingsDir, target), target)
		if err != nil {
			t.Fatal(err)
		}
		res := rules.Map(fixtureEvent(t, syncd.KindEAF, path))
		if len(res.Ops) != 2 {
			t.Fatalf("%s: %s %s, %d operations", target, res.State, res.Reason, len(res.Ops))
		}
		if got := res.Ops[1].Properties[prop]; got != strings.TrimSuffix(string(want), "\n") {
			t.Errorf("%s: %s\n%s\nwant\n%s", target, prop, got, want)
		}
	}
}

// FuzzHTMLText: whatever the HTML, htmlToText does not panic, keeps valid
// UTF-8 valid, and gives tidy text: no CR, no line starting or ending with
// white space, no two empty lines in a row, none at the start or end.
func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{"<table><tr><td>a<td>b</table>", `<a href="https://x">y<td>z</a>`, "<blockquote><li>q\r</li>",
		"<p class=MsoNormal>a</p>\r\n<p>b", "a\u2029\u2029b", "<a href=tel:0123456789><br></a>", "<title>t",
		"<table><tr><td>a<td><td colspan=3>b<tr><td><td>c<table><td><td>d</table></table>", "<div id=divRplyFwdMsg>From: x</div><div>q<blockquote>r",
		"<img src=cid:1 alt=\"a.png\"><img alt=\"\u2764\ufe0f\">", "<table><tr><td rowspan=0 colspan=70>a<td rowspan=3>b<tr><td>c<tr><td><td>d</table>",
		"<div id=divRplyFwdMsg><b>From:</b> x<br>Sent: y</div><div>q<table><tr><td><td>a<tr><td>b<td></table><blockquote>r</div>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := HTMLText(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Errorf("HTMLText(%q) = %q: not UTF-8", s, got)
		}
		if strings.Contains(got, "\r") || strings.Contains(got, "\n\n\n") ||
			strings.HasPrefix(got, "\n") || strings.HasSuffix(got, "\n") {
			t.Errorf("HTMLText(%q) = %q: untidy lines", s, got)
		}
		for l := range strings.SplitSeq(got, "\n") {
			if strings.TrimFunc(l, unicode.IsSpace) != l {
				t.Errorf("HTMLText(%q) = %q: line %q not trimmed", s, got, l)
			}
		}
	})
}
