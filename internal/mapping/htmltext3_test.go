package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tailscale/hujson"

	"github.com/syncd-dev/syncd/internal/syncd"
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

// TestDisplayNameIsNoAddressTypedAsName: a name that is an email address
// alone ("kim@hotmail.con" typed into the name field) named the shipped
// mappings' deal and Pipedrive's person, though HubSpot's contact was not
// given that address (and the client's address may be another). Such a
// name is no name, as firstName takes it: the deal and the person are
// named after the address the contact gets, else the phone; a name with
// an "@" among words is still a name.
func TestDisplayNameIsNoAddressTypedAsName(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(webhooksDir, "lokalebasen", "enquiry_created.json"))
	if err != nil {
		t.Fatal(err)
	}
	if body, err = hujson.Standardize(body); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ target, name, email, want string }{
		{"hubspot", "kim@hotmail.con", "kim@hotmail.con", "+4552250559"},
		{"hubspot", " <Kim@Hotmail.con> ", "kim@hotmail.com", "kim@hotmail.com"},
		{"pipedrive", "kim@hotmail.con", "kim@hotmail.com", "kim@hotmail.com"},
		{"pipedrive", "kim@hotmail.con", "", "+4552250559"},
		{"hubspot", "Kim @ Acme", "kim@hotmail.com", "Kim @ Acme"},
		// a name with no letter (a form's dash, or the phone typed there)
		// is no name either, as SplitName takes it
		{"hubspot", "-", "kim@hotmail.com", "kim@hotmail.com"},
		{"pipedrive", "...", "", "+4552250559"},
		{"pipedrive", "+45 52 25 05 59", "kim@hotmail.com", "kim@hotmail.com"},
	} {
		rules, err := Load(filepath.Join(mappingsDir, tc.target), tc.target)
		if err != nil {
			t.Fatal(err)
		}
		var payload map[string]any
		if err := json.Unmarshal(body, &payload); err != nil {
			t.Fatal(err)
		}
		client := payload["payload"].(map[string]any)["client"].(map[string]any)
		client["name"], client["email"] = tc.name, tc.email
		b, _ := json.Marshal(payload)
		path := filepath.Join(t.TempDir(), "body.json")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		res := rules.Map(fixtureEvent(t, syncd.KindLokalebasen, path))
		if len(res.Ops) != 2 {
			t.Fatalf("%s %q: %s %s, %d operations", tc.target, tc.name, res.State, res.Reason, len(res.Ops))
		}
		names := map[string]string{"deal": res.Ops[1].Properties[map[string]string{"hubspot": "dealname", "pipedrive": "title"}[tc.target]]}
		if tc.target == "pipedrive" {
			names["person"] = res.Ops[0].Properties["name"]
		}
		for what, got := range names {
			if what == "deal" {
				got = strings.TrimPrefix(got, "Lokalebasen EJ-593915GV: ")
			}
			if got != tc.want {
				t.Errorf("%s: name %q, email %q: the %s is named %q, want %q", tc.target, tc.name, tc.email, what, got, tc.want)
			}
		}
	}
}
