package webhook_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/webhook"
)

// errorLines returns the error-level lines of the rig's log.
func errorLines(t *testing.T, r *rig) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(r.log.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["level"] == "error" {
			out = append(out, m)
		}
	}
	return out
}

// The error line of a quarantined body names the quarantine id as such
// (a bare "id" reads as an event's, and `syncd events show` of it shows
// another person's lead) and the commands that read and repair it; that
// of an unrecognised body says what it is, with its event id.
func TestDeliveryErrorLinesSayWhatToDo(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(o *webhook.Options) { o.Log = o.Log.Level(zerolog.InfoLevel) })
	if a := r.post(t, "/hooks/lokalebasen/"+lbToken, []byte(`{"event_type":"enquiry_created","payload":{}}`)); a.Status != "accepted" {
		t.Fatalf("lead: %+v", a)
	}
	q := r.post(t, "/hooks/eaf/"+eafToken, []byte(`{"eaf_type":`))
	u := r.post(t, "/hooks/lokalebasen/"+lbToken, []byte(`{"eaf_type":"email_lead","eaf_id":"7"}`))
	if q.Status != "quarantined" || u.Status != "accepted" {
		t.Fatalf("answers %+v %+v", q, u)
	}
	lines := errorLines(t, r)
	if len(lines) != 2 {
		t.Fatalf("%d error lines, want 2:\n%s", len(lines), r.log.String())
	}
	ql, ul := lines[0], lines[1]
	msg, _ := ql["message"].(string)
	if _, bare := ql["id"]; bare || fmt.Sprint(ql["quarantine_id"]) != q.QID ||
		!strings.Contains(msg, "syncd events show -quarantined") || !strings.Contains(msg, "syncd events repair") {
		t.Errorf("quarantined body logged as %v; want quarantine_id %s and the commands to read and repair it", ql, q.QID)
	}
	msg, _ = ul["message"].(string)
	if _, bare := ul["id"]; bare || fmt.Sprint(ul["event_id"]) != u.ID || !strings.Contains(msg, "unrecognised") {
		t.Errorf("unrecognised body logged as %v; want event_id %s and a message saying unrecognised", ul, u.ID)
	}
}
