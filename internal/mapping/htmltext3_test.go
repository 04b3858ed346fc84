package mapping

import (
	"testing"
)

// TestHTMLTextMarksOutlooksOriginalMessage: older Outlook, and many mail
// gateways, put the message replied to after a plain "-----Original
// Message-----" line and its From:/Sent:/To:/Subject: lines, in no
// <blockquote>, so the original read as the client's own words. After that
// separator (in Outlook's languages, with spaces as Outlook Express writes
// it) and at least two label lines, the original's lines start with "> "
// until the element holding the separator and its header ends; the
// separator, the header and all the client wrote are kept. A separator not
// followed by two labels, and Gmail's "Forwarded message", quote nothing;
// an empty line ends the header, so a line of the original with a colon
// is quoted too. Plain text is marked the same way.
func TestHTMLTextMarksOutlooksOriginalMessage(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<div>Yes, Thursday works.</div><div>-----Original Message-----<br>From: Acme &lt;a@x.example&gt;<br>Sent: Monday<br>To: Jo<br>Subject: Viewing<br><br>When can you come?<br>Acme</div>`,
			"Yes, Thursday works.\n-----Original Message-----\nFrom: Acme <a@x.example>\nSent: Monday\nTo: Jo\nSubject: Viewing\n\n> When can you come?\n> Acme"},
		{`<p>Ja tak</p><p>-----Oprindelig meddelelse-----</p><p>Fra: Mette</p><p>Sendt: 7. december</p><p>Emne: Kontor</p><p>Hvornår?</p><p>Mette</p>`,
			"Ja tak\n\n-----Oprindelig meddelelse-----\n\nFra: Mette\n\nSendt: 7. december\n\nEmne: Kontor\n\n> Hvornår?\n\n> Mette"},
		{`<div>Ok</div><div>----- Original Message -----</div><div><b>From:</b> A</div><div><b>Sent:</b> B</div><div>Q1</div><div>Q2</div>`,
			"Ok\n----- Original Message -----\nFrom: A\nSent: B\n> Q1\n> Q2"},
		{`<blockquote><div>-----Original Message-----<br>From: A<br>Sent: B<br><br>Note: we moved<br>Q</div></blockquote><div>Me</div>`,
			"> -----Original Message-----\n> From: A\n> Sent: B\n\n> > Note: we moved\n> > Q\n\nMe"},
		{`<p>-----Original Message-----</p><p>I wrote this myself</p><p>From: me</p>`,
			"-----Original Message-----\n\nI wrote this myself\n\nFrom: me"},
		{`<div>-----Original Message-----<br>From: A<br>Hi<br>Jo</div>`, "-----Original Message-----\nFrom: A\nHi\nJo"},
		{`<div>---------- Forwarded message ---------<br>From: A<br>Date: B<br>Subject: C<br><br>Text</div>`,
			"---------- Forwarded message ---------\nFrom: A\nDate: B\nSubject: C\n\nText"},
		{"Thanks\r\n\r\n-----Original Message-----\r\nFrom: A\r\nSent: B\r\nSubject: C\r\n\r\nWhen?\r\n\r\nAcme\r\n",
			"Thanks\n\n-----Original Message-----\nFrom: A\nSent: B\nSubject: C\n\n> When?\n\n> Acme"},
		{"Thanks\n-----Original Message-----\nFrom: A\nI wrote this", "Thanks\n-----Original Message-----\nFrom: A\nI wrote this"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("HTMLText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
