package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestFormPostedBodySaysItIsAForm: a sender set to post its lead as an HTML
// form (payload=%7B…, application/x-www-form-urlencoded) had its body
// quarantined as "invalid JSON: invalid character 'p' looking for
// beginning of value", nothing saying it was a form. Its reason now says
// so, from the Content-Type or from the body's shape; a body that is
// neither JSON nor a form is quarantined as before.
func TestFormPostedBodySaysItIsAForm(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(*webhook.Options) {})
	cases := []struct {
		name, contentType, body string
		form                    bool
	}{
		{"form, said", "application/x-www-form-urlencoded", `payload=%7B%22eaf_type%22%3A%22email_lead%22%7D`, true},
		{"form, said with a charset", "application/x-www-form-urlencoded; charset=UTF-8", `eaf_type=email_lead&eaf_id=f2`, true},
		{"form, sent as JSON", "application/json", `data[eaf_type]=email_lead&data[eaf_id]=f3`, true},
		{"no form", "application/json", `eaf_type: email_lead`, false},
		{"no form, no JSON", "text/plain", `{"eaf_type": email_lead}`, false},
		// PHP's curl labels every string it posts a form: JSON cut short is
		// still no form, and the hint sent its reader after the wrong cause.
		{"JSON cut short, labelled a form", "application/x-www-form-urlencoded", `{"eaf_type":"email_lead","eaf_id":`, false},
		{"JSON cut short after a byte-order mark, labelled a form", "application/x-www-form-urlencoded", "\ufeff [{\"eaf_type\":", false},
	}
	for _, c := range cases {
		req, _ := http.NewRequest("POST", r.url+"/hooks/eaf/"+eafToken, bytes.NewReader([]byte(c.body)))
		req.Header.Set("Content-Type", c.contentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var a answer
		if json.Unmarshal(raw, &a); resp.StatusCode != 200 || a.Status != "quarantined" {
			t.Fatalf("%s: %d %s", c.name, resp.StatusCode, raw)
		}
		qs, err := r.db.Quarantined(context.Background(), syncd.EventFilter{})
		if err != nil || len(qs) == 0 {
			t.Fatalf("%s: %v", c.name, err)
		}
		reason := qs[len(qs)-1].Reason
		if said := strings.Contains(reason, "form's fields"); said != c.form || !strings.HasPrefix(reason, "invalid JSON") {
			t.Errorf("%s: quarantined as %q; want it to say a form: %v", c.name, reason, c.form)
		}
	}
}
