package mapping

import "testing"

// TestAnIPhoneForwardIsNotMarkedAsQuoted: an enquiry forwarded from an
// iPhone or a Mac without a word of the forwarder's has Apple's line,
// "Begin forwarded message:", before the quote of the client's mail (on
// an iPhone below its "Sent from my iPhone", and in a quote of its own,
// the header and the text in two more), and in its plain text part every
// line of the client's marked "> ". The client's words were read as a
// reply's quote, set apart from the forwarder's nothing: they are kept as
// written, as Outlook's forward and Apple Mail's own quote that is the
// whole message are, whatever the order and language of the header's
// labels. A word of the forwarder's, before the line or after the quote,
// keeps the marks.
func TestAnIPhoneForwardIsNotMarkedAsQuoted(t *testing.T) {
	const top = `<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto"><div dir="ltr"></div><div dir="ltr"><br></div>`
	iphone := func(before, intro, header, after string) string {
		return top + before + `<div dir="ltr"><br><blockquote type="cite">` + intro + `<br><br></blockquote></div>` +
			`<blockquote type="cite"><div dir="ltr">` + header + `<br><br></div></blockquote>` +
			`<blockquote type="cite"><div dir="ltr">Is the flat still free?<div>Kim</div></div></blockquote>` + after + `</body></html>`
	}
	const sig = `<div dir="ltr">Sent from my iPhone</div>`
	const en = `<b>From:</b> Kim Hansen &lt;kim@x.dk&gt;<br><b>Date:</b> 7 December 2026 at 09:12:44 GMT<br><b>To:</b> lettings@acme.example<br><b>Subject:</b> <b>Flat 1, Elm Road</b>`
	const enText = "From: Kim Hansen <kim@x.dk>\nDate: 7 December 2026 at 09:12:44 GMT\nTo: lettings@acme.example\nSubject: Flat 1, Elm Road"
	const da = `<b>Fra:</b> Kim Hansen &lt;kim@x.dk&gt;<br><b>Emne:</b> <b>Lejlighed 1</b><br><b>Dato:</b> 7. december 2026 kl. 09.12.44 CET<br><b>Til:</b> udlejning@acme.example`
	const daText = "Fra: Kim Hansen <kim@x.dk>\nEmne: Lejlighed 1\nDato: 7. december 2026 kl. 09.12.44 CET\nTil: udlejning@acme.example"
	const client = "\n\nIs the flat still free?\nKim"
	mac := `<div>Begin forwarded message:</div><br><blockquote type="cite"><div><b>From: </b>Kim Hansen &lt;kim@x.dk&gt;</div>` +
		`<div><b>Subject: </b>Flat 1, Elm Road</div><div><b>Date: </b>7 December 2026 at 09:12:44 GMT</div><div><b>To: </b>lettings@acme.example</div><br>` +
		`<div>Is the flat still free?</div><div>Kim</div></blockquote>`
	plain := "Sent from my iPhone\r\n\r\nBegin forwarded message:\r\n\r\n> From: Kim Hansen <kim@x.dk>\r\n> Date: 7 December 2026 at 09:12:44 GMT\r\n" +
		"> To: lettings@acme.example\r\n> Subject: Flat 1, Elm Road\r\n> \r\n> Is the flat still free?\r\n> Kim\r\n"
	for _, tc := range []struct{ name, in, want string }{
		{"iPhone", iphone(sig, "Begin forwarded message:", en, ""), "Sent from my iPhone\n\nBegin forwarded message:\n\n" + enText + client},
		{"iPhone, in Danish", iphone(`<div dir="ltr">Sendt fra min iPhone</div>`, "Start på videresendt besked:", da, ""),
			"Sendt fra min iPhone\n\nStart på videresendt besked:\n\n" + daText + client},
		{"iPhone, in German, without a signature", iphone("", "Anfang der weitergeleiteten Nachricht:", en, ""),
			"Anfang der weitergeleiteten Nachricht:\n\n" + enText + client},
		{"Mac", mac, "Begin forwarded message:\n\nFrom: Kim Hansen <kim@x.dk>\nSubject: Flat 1, Elm Road\nDate: 7 December 2026 at 09:12:44 GMT\nTo: lettings@acme.example" + client},
		{"Mac, a signature after it", mac + `<div><br></div><div>Sent from my iPad</div>`,
			"Begin forwarded message:\n\nFrom: Kim Hansen <kim@x.dk>\nSubject: Flat 1, Elm Road\nDate: 7 December 2026 at 09:12:44 GMT\nTo: lettings@acme.example" + client + "\n\nSent from my iPad"},
		{"iPhone's plain text", plain, "Sent from my iPhone\n\nBegin forwarded message:\n\n" + enText + "\n" + client[1:]},
		{"plain text, in Swedish", "Vidarebefordrat mejl:\n\n> Från: Kim <kim@x.dk>\n> Ämne: Lägenhet 1\n>\n> Är lägenheten ledig?\n",
			"Vidarebefordrat mejl:\n\nFrån: Kim <kim@x.dk>\nÄmne: Lägenhet 1\n\nÄr lägenheten ledig?"},
		// a word of the forwarder's: the client's words stay set apart from it
		{"iPhone, a word before it", iphone(`<div dir="ltr">Can you call her?</div>`+sig, "Begin forwarded message:", en, ""),
			"Can you call her?\nSent from my iPhone\n\n> Begin forwarded message:\n\n> " + "From: Kim Hansen <kim@x.dk>\n> Date: 7 December 2026 at 09:12:44 GMT\n> To: lettings@acme.example\n> Subject: Flat 1, Elm Road\n\n> Is the flat still free?\n> Kim"},
		{"iPhone, a word after it", iphone(sig, "Begin forwarded message:", en, `<div dir="ltr">Can you call her?</div>`),
			"Sent from my iPhone\n\n> Begin forwarded message:\n\n> From: Kim Hansen <kim@x.dk>\n> Date: 7 December 2026 at 09:12:44 GMT\n> To: lettings@acme.example\n> Subject: Flat 1, Elm Road\n\n> Is the flat still free?\n> Kim\n\nCan you call her?"},
		{"plain, a word before it", "Call her\n\n" + plain, "Call her\n\n" + tidyLines(plain)},
		{"plain, a word after it", plain + "\r\nCall her\r\n", tidyLines(plain + "\r\nCall her\r\n")},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("%s reads\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}
