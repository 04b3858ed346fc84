package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestDeliveriesLineCountsEachTokenDuringARotation: while a source has
// several tokens (a rotation: the old one and the new), its deliveries
// line counts what each brought, by its position in the source's list, a
// token that brought none as 0: the operator sees when the sender stopped
// using the old token and it can go. Before, nothing said which token a
// delivery used, and a token removed while the sender still used it made
// its deliveries 401 (Estate Agent Feeds gives up after two retries). A
// source with one token has no such count; no token is ever logged.
func TestDeliveriesLineCountsEachTokenDuringARotation(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(o *webhook.Options) {
		o.SummaryEvery = time.Hour // the summary below comes from Run's end
		o.Log = o.Log.Level(zerolog.InfoLevel)
	})
	lead := func(i int) []byte {
		return fmt.Appendf(nil, `{"event_type":"enquiry_created","payload":{"client":{"email":"c%d@example.com"}}}`, i)
	}
	r.post(t, "/hooks/lokalebasen/old-token-0123456789abc", lead(0)) // the rig's old token, first in the list
	r.post(t, "/hooks/lokalebasen/"+lbToken, lead(1))
	r.post(t, "/hooks/lokalebasen/"+lbToken, lead(1)) // a retry
	r.post(t, "/hooks/eaf/"+eafToken, []byte(`{"eaf_type":"email_lead","eaf_id":"e1"}`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r.rc.Run(ctx)
	got := map[string]map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(r.log.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["message"] == "deliveries" {
			got[m["source"].(string)] = m
		}
	}
	if want := map[string]any{"1": 1.0, "2": 2.0}; !reflect.DeepEqual(got["lokalebasen"]["tokens"], want) {
		t.Errorf("lokalebasen's deliveries line: tokens %v, want %v (line %v)", got["lokalebasen"]["tokens"], want, got["lokalebasen"])
	}
	if m := got["eaf"]; m == nil || m["tokens"] != nil {
		t.Errorf("eaf, one token: deliveries line %v, want one without tokens", m)
	}
	if strings.Contains(r.log.String(), lbToken) || strings.Contains(r.log.String(), "old-token") {
		t.Errorf("a token logged:\n%s", r.log.String())
	}
	// The old token retired by a reload: its position is gone from the line.
	r.rc.SetSources([]webhook.Source{{Name: "lokalebasen", Kind: syncd.KindLokalebasen, Tokens: []string{lbToken}}})
	r.post(t, "/hooks/lokalebasen/"+lbToken, lead(2))
	before := len(r.log.String())
	r.rc.Run(ctx)
	if line := r.log.String()[before:]; !strings.Contains(line, `"accepted":1`) || strings.Contains(line, `"tokens"`) {
		t.Errorf("after the rotation, deliveries line %s, want one without tokens", line)
	}
}
