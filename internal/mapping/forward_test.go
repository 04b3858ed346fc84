package mapping

import "testing"

// TestAForwardedEnquiryAloneIsNotMarkedAsQuoted: an enquiry forwarded
// without a word of the forwarder's own (an agency's mailbox forwarding a
// client's mail on, Outlook writing its header above it as for a reply)
// had every line the client wrote marked "> ", the lead's whole message
// reading as an old mail quoted. The marks set a reply's new text apart
// from the mail it answers; with nothing before the header there is none,
// and the client's words are kept as written; so in Apple Mail's forward,
// a <blockquote> that is the whole message. With a word before it (a
// reply, or "FYI" above a forward) or after it, the original is marked as
// before.
func TestAForwardedEnquiryAloneIsNotMarkedAsQuoted(t *testing.T) {
	const header = "From: Kim Hansen <kim@x.dk>\nSent: Monday, December 7, 2026 09:12\nTo: Lettings <lettings@acme.example>\nSubject: Flat 1, Elm Road\n"
	web := `<div class="elementToProof"><br></div><div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">` +
		`<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000"><b>From:</b> Kim Hansen &lt;kim@x.dk&gt;<br>` +
		`<b>Sent:</b> Monday, December 7, 2026 09:12<br><b>To:</b> Lettings &lt;lettings@acme.example&gt;<br><b>Subject:</b> Flat 1, Elm Road</font><div>&nbsp;</div></div>` +
		`<div dir="ltr"><div>Hello,</div><div>Is the flat still free? We would like a viewing.</div><div>Kim</div></div>`
	desktop := `<div class=WordSection1><p class=MsoNormal><o:p>&nbsp;</o:p></p>` +
		`<div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'><p class=MsoNormal><b>From:</b> Kim Hansen &lt;kim@x.dk&gt; <br>` +
		`<b>Sent:</b> Monday, December 7, 2026 09:12<br><b>To:</b> Lettings &lt;lettings@acme.example&gt;<br><b>Subject:</b> Flat 1, Elm Road<o:p></o:p></p></div>` +
		`<p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>Hello,<o:p></o:p></p><p class=MsoNormal>Is the flat still free? We would like a viewing.<o:p></o:p></p><p class=MsoNormal>Kim<o:p></o:p></p></div>`
	plain := "-----Original Message-----\r\n" + "From: Kim Hansen <kim@x.dk>\r\nSent: Monday, December 7, 2026 09:12\r\nTo: Lettings <lettings@acme.example>\r\nSubject: Flat 1, Elm Road\r\n\r\n" +
		"Hello,\r\nIs the flat still free? We would like a viewing.\r\nKim\r\n"
	for _, tc := range []struct{ name, in, want string }{
		{"Outlook on the web", web, header + "\nHello,\nIs the flat still free? We would like a viewing.\nKim"},
		{"Outlook for Windows", desktop, header + "\nHello,\nIs the flat still free? We would like a viewing.\nKim"},
		{"Outlook's plain text", plain, "-----Original Message-----\n" + header + "\nHello,\nIs the flat still free? We would like a viewing.\nKim"},
		{"a header without its empty line", `<div id="divRplyFwdMsg"><b>From:</b> Kim<br><b>Sent:</b> Monday</div><div>Is the flat still free?</div><div>Kim</div>`,
			"From: Kim\nSent: Monday\n\nIs the flat still free?\nKim"},
		{"its plain separator in HTML", `<div>-----Original Message-----<br>From: Kim<br>Sent: Monday<br><br>Is the flat still free?<br>Kim</div>`,
			"-----Original Message-----\nFrom: Kim\nSent: Monday\n\nIs the flat still free?\nKim"},
		{"Apple Mail", `<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto"><div dir="ltr"></div><div dir="ltr"><br></div>` +
			`<blockquote type="cite"><div dir="ltr">Begin forwarded message:</div><br><div style="margin-top: 0px;"><b>From: </b>Kim Hansen &lt;kim@x.dk&gt;</div>` +
			`<div style="margin-top: 0px;"><b>Subject: </b>Flat 1, Elm Road</div><div><br></div><div dir="ltr">Is the flat still free?<div>Kim</div></div></blockquote></body></html>`,
			"Begin forwarded message:\n\nFrom: Kim Hansen <kim@x.dk>\nSubject: Flat 1, Elm Road\n\nIs the flat still free?\nKim"},
		{"Apple Mail, a quote within", `<blockquote type="cite"><div>Begin forwarded message:</div><div>Yes, Tuesday.</div><blockquote type="cite"><div>When?</div></blockquote></blockquote>`,
			"Begin forwarded message:\nYes, Tuesday.\n\n> When?"},
		{"Apple Mail with a note", `<div>FYI</div><blockquote type="cite"><div>Begin forwarded message:</div><div>Is the flat still free?</div></blockquote>`,
			"FYI\n\n> Begin forwarded message:\n> Is the flat still free?"},
		{"a quote and a word after it", `<blockquote type="cite"><div>When?</div></blockquote><div>Tuesday.</div>`, "> When?\n\nTuesday."},
		// a word of the forwarder's own: the client's words are set apart from it
		{"a forward with a note", `<div>FYI, see below.</div>` + web,
			"FYI, see below.\n\n" + header + "\n> Hello,\n> Is the flat still free? We would like a viewing.\n> Kim"},
		{"plain, with a note", "FYI\r\n\r\n" + plain,
			"FYI\n\n-----Original Message-----\n" + header + "\n> Hello,\n> Is the flat still free? We would like a viewing.\n> Kim"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("%s reads\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}
