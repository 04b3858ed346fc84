package webhook_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// TestTooLargeDeliverySaysWhatToDo: a delivery over http.max_body_bytes is
// answered 413 and not stored; the sender retries it (Estate Agent Feeds
// twice, Lokalebasen up to 20 times) and then gives up, and the lead is
// lost. Its warning said only "delivery rejected", "reason":"too_large":
// the operator learnt neither the limit nor what to do. It names the limit,
// the setting and that the sender gives up, for a body sent with its length
// and for one sent chunked alike.
func TestTooLargeDeliverySaysWhatToDo(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil) // max_body_bytes 4096
	body := []byte(`{"eaf_type":"email_lead","eaf_id":"big","contact_message_html":"` + strings.Repeat("x", 5000) + `"}`)
	if a := r.post(t, "/hooks/eaf/"+eafToken, body); a.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("answer %+v; want 413", a)
	}
	resp, err := http.Post(r.url+"/hooks/eaf/"+eafToken, "application/json", struct{ *bytes.Reader }{bytes.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked: %d; want 413", resp.StatusCode)
	}
	var lines []string
	for _, l := range strings.Split(r.log.String(), "\n") {
		if strings.Contains(l, `"reason":"too_large"`) {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		t.Fatalf("no too_large warning:\n%s", r.log.String())
	}
	for _, l := range lines {
		if !strings.Contains(l, `"max_body_bytes":4096`) || !strings.Contains(l, "raise http.max_body_bytes") ||
			!strings.Contains(l, "gives up") {
			t.Errorf("the warning does not say the limit and what to do: %s", l)
		}
	}
}
