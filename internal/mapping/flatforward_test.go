package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestFlatMessageReadsAsTheHTMLOne: an Estate Agent Feeds lead whose
// contact_message_html is empty or missing is sent with its
// contact_message_flat, which the shipped mappings sent as it came: a
// client's mail forwarded from an iPhone in plain text reached the CRM
// with every line of the original marked "> " (and an Outlook reply's
// original unmarked, its CR LF line ends as sent), where the same mail as HTML was made readable by
// htmlToText. The flat message now reads as the HTML one does; a message
// of one line, or with a "<" or "&" in it, is kept as typed.
func TestFlatMessageReadsAsTheHTMLOne(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(webhooksDir, "eaf", "email_lead.json"))
	if err != nil {
		t.Fatal(err)
	}
	iphone := "Sent from my iPhone\n\nBegin forwarded message:\n\n> From: Kim Hansen <kim@x.dk>\n" +
		"> Date: 7 December 2026 at 09:12:03 CET\n> To: Lettings <lettings@acme.example>\n> Subject: Flat 1, Elm Road\n>\n" +
		"> Hello,\n> Is the flat still free? We would like a viewing.\n> Kim\n"
	iphoneRead := "Sent from my iPhone\n\nBegin forwarded message:\n\nFrom: Kim Hansen <kim@x.dk>\n" +
		"Date: 7 December 2026 at 09:12:03 CET\nTo: Lettings <lettings@acme.example>\nSubject: Flat 1, Elm Road\n\n" +
		"Hello,\nIs the flat still free? We would like a viewing.\nKim"
	outlook := "Yes please, Tuesday suits us.\r\n\r\n-----Original Message-----\r\nFrom: Lettings <lettings@acme.example>\r\n" +
		"Sent: Monday, December 7, 2026 09:12\r\nTo: Kim Hansen <kim@x.dk>\r\nSubject: Flat 1, Elm Road\r\n\r\nWould Tuesday suit you?"
	outlookRead := "Yes please, Tuesday suits us.\n\n-----Original Message-----\nFrom: Lettings <lettings@acme.example>\n" +
		"Sent: Monday, December 7, 2026 09:12\nTo: Kim Hansen <kim@x.dk>\nSubject: Flat 1, Elm Road\n\n> Would Tuesday suit you?"
	for _, c := range []struct {
		name string
		html any // "" or nil (missing)
		flat string
		want string
	}{
		{"an iPhone's plain forward, HTML empty", "", iphone, iphoneRead},
		{"an iPhone's plain forward, HTML missing", nil, iphone, iphoneRead},
		{"an Outlook reply in plain text", "", outlook, outlookRead},
		{"one line", "", "This is an enquiry message.", "This is an enquiry message."},
		{"as typed", "", "Budget 5000<x<8000 kr, R&D office\nThanks", "Budget 5000<x<8000 kr, R&D office\nThanks"},
	} {
		var payload map[string]any
		if err := json.Unmarshal(body, &payload); err != nil {
			t.Fatal(err)
		}
		if c.html == nil {
			delete(payload, "contact_message_html")
		} else {
			payload["contact_message_html"] = c.html
		}
		payload["contact_message_flat"] = c.flat
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
				t.Fatalf("%s, %s: %s %s, %d operations", target, c.name, res.State, res.Reason, len(res.Ops))
			}
			if got := res.Ops[1].Properties[prop]; got != c.want {
				t.Errorf("%s, %s: %s %q, want %q", target, c.name, prop, got, c.want)
			}
		}
	}
}
