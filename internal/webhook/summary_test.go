package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestDeliveriesSummedAtInfo: at info level the log has no line per
// delivery, only a summary per source and interval with the counts by
// outcome; each delivery is still there at debug.
func TestDeliveriesSummedAtInfo(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(o *webhook.Options) {
		o.SummaryEvery = time.Hour // the summary below comes from Run's end
		o.Log = o.Log.Level(zerolog.InfoLevel)
	})
	lead := func(i int) []byte {
		return fmt.Appendf(nil, `{"event_type":"enquiry_created","payload":{"client":{"email":"c%d@example.com"}}}`, i)
	}
	for i := range 3 {
		r.post(t, "/hooks/lokalebasen/"+lbToken, lead(i))
	}
	r.post(t, "/hooks/lokalebasen/"+lbToken, lead(0)) // a retry
	r.post(t, "/hooks/eaf/"+eafToken, []byte(`{"event_type":`))
	// The quarantined body is an error, logged at once; nothing else.
	if logs := strings.TrimSpace(r.log.String()); strings.Count(logs, "\n") != 0 || !strings.Contains(logs, `"level":"error"`) {
		t.Fatalf("logged before the summary, at info:\n%s", logs)
	}
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
	want := map[string][4]float64{"lokalebasen": {3, 1, 0, 0}, "eaf": {0, 0, 1, 0}}
	for source, w := range want {
		m := got[source]
		if m == nil {
			t.Fatalf("no summary for %s: %s", source, r.log.String())
		}
		// The line covers the receiver's life, not the hour it would have
		// waited: Run ended at once (zerolog writes durations in ms).
		if over, _ := m["over"].(float64); over < 0 || over > 30_000 {
			t.Errorf("%s summary over %v ms, want the time since the receiver started", source, m["over"])
		}
		if m["level"] != "info" || m["accepted"] != w[0] || m["duplicate"] != w[1] || m["quarantined"] != w[2] || m["unrecognised"] != w[3] {
			t.Errorf("%s summary: %v, want accepted, duplicate, quarantined, unrecognised %v", source, m, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("summaries for %d sources, want %d", len(got), len(want))
	}
}
