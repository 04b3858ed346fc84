package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestMessageWithBreaksIsNotDoubleSpaced: Estate Agent Feeds sends the
// message "with line-breaks" as contact_message_html, which PHP's nl2br
// (and most HTML writers) write as "<br />" and a newline. In HTML that
// newline is a space; it was read as a second line break, so every line of
// the message reached the CRM (and the report, whose message cell shows at
// most 32 lines) with an empty line after it. Text without markup keeps
// its own line breaks.
func TestMessageWithBreaksIsNotDoubleSpaced(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(webhooksDir, "eaf", "email_lead.json"))
	if err != nil {
		t.Fatal(err)
	}
	for html, want := range map[string]string{
		"Hello,<br />\nI would like to view this property.<br />\nThanks<br />\nJo": "Hello,\nI would like to view this property.\nThanks\nJo",
		"Hello,<br>\r\n<br>\r\nThanks":                                              "Hello,\n\nThanks",
		"<p>Hello,</p>\n<p>Thanks</p>":                                              "Hello,\n\nThanks",
		"Fish & chips\nThanks":                                                      "Fish & chips\nThanks",
		"Hello,\n\nThanks":                                                          "Hello,\n\nThanks",
	} {
		var payload map[string]any
		if err := json.Unmarshal(body, &payload); err != nil {
			t.Fatal(err)
		}
		payload["contact_message_html"] = html
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
				t.Fatalf("%s, message %q: %s %s, %d operations", target, html, res.State, res.Reason, len(res.Ops))
			}
			if got := res.Ops[1].Properties[prop]; got != want {
				t.Errorf("%s, message %q: %s %q, want %q", target, html, prop, got, want)
			}
		}
	}
}
