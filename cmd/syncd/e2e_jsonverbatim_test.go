package main_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"syscall"
	"testing"
)

// TestShownJSONKeepsWhatTheSenderWrote: syncd events show printed a
// lead's message "<p>Kim & Co …</p>" as "\u003cp\u003eKim \u0026 Co …",
// which an operator entering the lead in the CRM by hand copied from it;
// outbox show -json, outbox list -json and events show -quarantined -json
// (its way out, "… -body 7 > FILE", read "\u003e FILE") did the same. Each
// prints <, > and & as the sender wrote them, and still reads as JSON.
func TestShownJSONKeepsWhatTheSenderWrote(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, d := startListening(t, t.TempDir(), "")
	defer d.stop(t, syscall.SIGTERM)
	const message = "<p>Kim & Co: is the flat > 50 m² still free?</p>"
	const company = "Baker & Sons <ApS>"
	lead := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"44120","contact_email":"kim&co@example.com",`+
		`"contact_name":%q,"contact_message_html":%q}`, company, message)
	a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(lead))
	if err != nil || a.Status != "accepted" {
		t.Fatalf("the lead: %+v, %v", a, err)
	}
	bad := `{"eaf_type":"email_lead","contact_message_html":"<p>Kim & Co</p>"`
	qid := mustQuarantine(t, d.url+"/hooks/eaf/"+e2eEAFToken, bad)

	verbatim := func(what, out string, want ...string) {
		t.Helper()
		if strings.Contains(out, `\u00`) {
			t.Errorf("%s escapes what the sender wrote:\n%s", what, out)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s lacks %q as written:\n%s", what, w, out)
			}
		}
	}

	out, errOut, code := syncdRun(t, "events", "show", "-config", config, a.ID)
	var ev struct {
		Payload map[string]any `json:"payload"`
	}
	if err := json.Unmarshal([]byte(out), &ev); code != 0 || err != nil || ev.Payload["contact_message_html"] != message {
		t.Fatalf("events show %s: exit %d, %v, message %q\n%s%s", a.ID, code, err, ev.Payload["contact_message_html"], out, errOut)
	}
	verbatim("events show", out, message, company)

	out, errOut, code = syncdRun(t, "events", "show", "-quarantined", "-json", "-config", config, qid)
	var q struct{ Body, Waits string }
	if err := json.Unmarshal([]byte(out), &q); code != 0 || err != nil || q.Body != bad {
		t.Fatalf("events show -quarantined -json %s: exit %d, %v, body %q\n%s%s", qid, code, err, q.Body, out, errOut)
	}
	verbatim("events show -quarantined -json", out, "-body "+qid+" > FILE", "<p>Kim & Co</p>")

	var deal map[string]any
	waitFor(t, "the lead's deal operation", func() bool {
		for _, op := range syncdJSON(t, "outbox", "list", "-json", "-config", config) {
			if op["kind"] == "deal" {
				deal = op
			}
		}
		return deal != nil
	})
	id := fmt.Sprint(deal["id"])
	out, errOut, code = syncdRun(t, "outbox", "show", "-json", "-config", config, id)
	var op struct {
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal([]byte(out), &op); code != 0 || err != nil || op.Properties["dealname"] == nil {
		t.Fatalf("outbox show -json %s: exit %d, %v\n%s%s", id, code, err, out, errOut)
	}
	verbatim("outbox show -json", out, "Kim & Co: is the flat > 50 m² still free?", company)

	out, _, _ = syncdRun(t, "outbox", "list", "-json", "-config", config)
	verbatim("outbox list -json", out, `"key":"kim&co@example.com"`)
}
