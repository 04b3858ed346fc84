package mapping

import "testing"

// TestAForwardedEnquiryWithASignatureAfterItIsNotMarkedAsQuoted: a
// client's mail forwarded on without a word is not marked "> "
// (TestAForwardedEnquiryAloneIsNotMarkedAsQuoted), but one with the
// forwarder's signature after the original (a mail program placing it
// below the forward, a phone's "Sent from my iPhone") had every line the
// client wrote marked, as under a reply. A signature alone after it, the
// "-- " line and a few short lines, or a phone's line, is no word of the
// forwarder's: the client's words are kept as written, the signature set
// apart by an empty line. A word after it, or more than a signature,
// keeps the marks.
func TestAForwardedEnquiryWithASignatureAfterItIsNotMarkedAsQuoted(t *testing.T) {
	const header = "From: Kim Hansen <kim@x.dk>\nSent: Monday, December 7, 2026 09:12\nSubject: Flat 1, Elm Road\n"
	desktop := `<div class=WordSection1><p class=MsoNormal><o:p>&nbsp;</o:p></p>` +
		`<div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'><p class=MsoNormal><b>From:</b> Kim Hansen &lt;kim@x.dk&gt; <br>` +
		`<b>Sent:</b> Monday, December 7, 2026 09:12<br><b>Subject:</b> Flat 1, Elm Road<o:p></o:p></p></div>` +
		`<p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>Hello,<o:p></o:p></p><p class=MsoNormal>Is the flat still free?<o:p></o:p></p><p class=MsoNormal>Kim<o:p></o:p></p></div>`
	web := `<div><div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Kim Hansen &lt;kim@x.dk&gt;<br><b>Sent:</b> Monday, December 7, 2026 09:12<br>` +
		`<b>Subject:</b> Flat 1, Elm Road</div><div>Hello,</div><div>Is the flat still free?</div><div>Kim</div></div>`
	apple := `<blockquote type="cite"><div>Begin forwarded message:</div><div>Is the flat still free?</div><div>Kim</div></blockquote>`
	const client, quoted = "\nHello,\nIs the flat still free?\nKim", "\n> Hello,\n> Is the flat still free?\n> Kim"
	for _, tc := range []struct{ name, in, want string }{
		{"Outlook for Windows, a signature", desktop + `<div><p class=MsoNormal>--&nbsp;<br>Jo Bloggs<br>Acme Lettings<br>020 7946 0000</p></div>`,
			header + client + "\n\n--\nJo Bloggs\nAcme Lettings\n020 7946 0000"},
		{"Outlook for Windows, a phone's line", desktop + `<p class=MsoNormal>Sent from my iPhone</p>`, header + client + "\n\nSent from my iPhone"},
		{"Outlook on the web, a phone's line", web + `<div>Get Outlook for Android</div>`, header + client + "\n\nGet Outlook for Android"},
		{"Outlook on the web, in Danish", web + `<div><br></div><div>Sendt fra min iPhone</div>`, header + client + "\n\nSendt fra min iPhone"},
		{"Outlook on the web, a signature", web + `<div>-- <br>Jo Bloggs</div>`, header + client + "\n\n--\nJo Bloggs"},
		{"Apple Mail", apple + `<div><br></div><div>Sent from my iPad</div>`,
			"Begin forwarded message:\nIs the flat still free?\nKim\n\nSent from my iPad"},
		// a word of the forwarder's, or more than a signature: the marks stay
		{"a word after it", web + `<div>Can you call her?</div>`, header + quoted[1:] + "\nCan you call her?"},
		{"a word and a phone's line", web + `<div>Can you call her?</div><div>Sent from my iPhone</div>`,
			header + quoted[1:] + "\nCan you call her?\nSent from my iPhone"},
		{"a phone's line and a word", web + `<div>Sent from my iPhone. Call her today</div><div>please</div>`,
			header + quoted[1:] + "\nSent from my iPhone. Call her today\nplease"},
		{"a long text after the signature line", web + `<div>--<br>1<br>2<br>3<br>4<br>5<br>6<br>7</div>`,
			header + quoted[1:] + "\n--\n1\n2\n3\n4\n5\n6\n7"},
		{"a reply below a quote", `<blockquote type="cite"><div>When?</div></blockquote><div>Tuesday.</div><div>-- </div><div>Jo</div>`,
			"> When?\n\nTuesday.\n--\nJo"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("%s reads\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}
