package mapping

import (
	"strings"
	"testing"
)

// TestHTMLTextKeepsBlankCellsOfData: an empty cell was left out, so in a
// data table with a blank ("Budget | (no minimum) | £2,000" under "What |
// Minimum | Maximum") the maximum read as the minimum. An empty cell
// before text in its row keeps its column as "| " where its column has
// text in another row; a column empty in every row (a layout's spacer)
// and the empty cells after a row's last text still add nothing, and a
// cell across columns (colspan) fills its first alone.
func TestHTMLTextKeepsBlankCellsOfData(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<table><tr><th>What</th><th>Minimum</th><th>Maximum</th></tr><tr><td>Budget</td><td></td><td>£2,000</td></tr>" +
			"<tr><td>Beds</td><td>2</td><td></td></tr></table>", "What | Minimum | Maximum\nBudget | | £2,000\nBeds | 2"},
		{"<table><tr><td>Name</td><td>Phone</td><td>Budget</td></tr><tr><td></td><td>07700 900123</td><td>£2,000</td></tr></table>",
			"Name | Phone | Budget\n| 07700 900123 | £2,000"},
		{"<table><tr><td>a</td><td>b</td><td>c</td><td>d</td></tr><tr><td>1</td><td>&nbsp;</td><td> </td><td>4</td></tr></table>",
			"a | b | c | d\n1 | | | 4"},
		{"<table><tr><td>Name</td><td width=10></td><td>Jo</td></tr><tr><td>Email</td><td width=10></td><td>jo@example.com</td></tr>" +
			"<tr><td colspan=3>Message</td></tr></table>", "Name | Jo\nEmail | jo@example.com\nMessage"},
		{"<table><tr><td>x</td><td colspan=99999></td><td>y</td></tr><tr><td>1</td><td>2</td></tr></table>", "x | | y\n1 | 2"},
		{"<table><tr><td>Area</td><td></td><td><table><tr><td>N1</td><td></td><td>N5</td></tr></table></td></tr></table><p>x</p>",
			"Area\n\nN1 | N5\n\nx"},
		{`<table><tr><td>Budget</td><td></td><td><a href="https://x.example/1">flat</a></td></tr><tr><td></td><td>2</td>`,
			"Budget | | flat <https://x.example/1>\n| 2"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("HTMLText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestHTMLTextMarksOutlooksQuotedOriginal: Outlook puts the message it
// replies to in no <blockquote>, so the original read as the client's own
// words. After Outlook's reply header (<div id="divRplyFwdMsg"> on the
// web and phones, "x_" before it once quoted again; Word's <div> with its
// top border in Outlook for Windows and Mac, its first text a label in any
// language) the original's lines start with "> " until the element
// holding it ends; the header itself and all the client wrote are kept.
// A <div> with that border whose text starts with no label, and a bare
// <hr>, quote nothing.
func TestHTMLTextMarksOutlooksQuotedOriginal(t *testing.T) {
	const word = `<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">`
	for _, tc := range []struct{ in, want string }{
		{`<div>Yes</div><hr><div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Acme<br><b>Sent:</b> Monday</div><div>When?</div><div>Acme</div>`,
			"Yes\n\nFrom: Acme\nSent: Monday\n> When?\n> Acme"},
		{`<div class=WordSection1><p class=MsoNormal>Ja tak</p><div>` + word + `<p class=MsoNormal><b>Fra:</b> Mette<br><b>Sendt:</b> 7. december</p></div></div>` +
			`<p class=MsoNormal>Hvorn&aring;r?</p></div><p>After</p>`, "Ja tak\nFra: Mette\nSendt: 7. december\n> Hvornår?\n\nAfter"},
		{`<div style="border:none;border-left:solid blue 1.5pt"><div>` + strings.Replace(word, "#E1E1E1", "#B5C4DF", 1) +
			`<p class=MsoNormal><b>From:</b> Acme</p></div></div><p class=MsoNormal>Old</p></div>New`, "From: Acme\n> Old\nNew"},
		{`<blockquote type="cite"><div>Ok</div><hr><div id="x_divRplyFwdMsg"><b>From:</b> Acme</div><div>Q</div></blockquote><div>Me</div>`,
			"> Ok\n\n> From: Acme\n> > Q\n\nMe"},
		{word + `<p>Our offer</p></div><p>stands</p>`, "Our offer\n\nstands"},
		{`<div>Yes</div><hr><div>From: Acme</div><div>When?</div>`, "Yes\n\nFrom: Acme\nWhen?"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("HTMLText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestHTMLTextShowsEmojiAndPastedImages: an image was left out whatever it
// was, so Gmail's emoji (an <img> whose alt is the emoji) vanished from the
// client's sentence, and "the plan is below:" was followed by nothing. An
// emoji's image is its emoji; a picture the mail carries (cid:) whose alt
// is its file name is "[image: plan.png]"; a linked one (a logo, a pixel),
// one whose alt is Outlook's description of a signature's logo, and a
// layout's "|" still show nothing.
func TestHTMLTextShowsEmojiAndPastedImages(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`Thanks <img data-emoji="🙂" class="an1" alt="🙂" src="https://fonts.gstatic.com/s/e/notoemoji/16.0/1f642/72.png"> see you`,
			"Thanks 🙂 see you"},
		{`<img alt="👍🏽">`, "👍🏽"},
		{`Plan:<br><img src="cid:ii_abc" alt="plan.png"><br>Jo`, "Plan:\n[image: plan.png]\nJo"},
		{`<img src="https://x.example/logo.png" alt="Portal"><img src="cid:1" alt=""><img src="x.gif" alt="|">x`, "x"},
		{`Jo<br><img width=120 height=40 id="Picture_x0020_1" src="cid:image001.png@01DB4C5F.6E0B2A30" alt="A logo with text&#10;&#10;Description automatically generated">`,
			"Jo"},
		{`<img src="https://x.example/plan.png" alt="plan.png"><img src="CID:x" alt="IMG_1234.HEIC">`, "[image: IMG_1234.HEIC]"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("HTMLText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
