package mapping_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestWorkerSaysALeadNoRuleMaps: with a when: that holds for no lead
// ("Client" for the "client" Lokalebasen sends) reloaded into the
// daemon, every lead was ignored, never sent to the CRM, and the log said
// only "ignored": N in its minute's summary: no event named, nor the way
// back. The first such lead of each event type in a minute is logged at
// info (a when: may leave leads out on purpose), naming the event, why,
// and syncd replay; no personal data; a body that is no lead (a feed
// import no rule maps) is not.
func TestWorkerSaysALeadNoRuleMaps(t *testing.T) {
	db, in := openStore(t)
	rules, err := mapping.Parse("hubspot/lokalebasen.yaml", []byte(`rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    when: 'payload.enquiry.type == "Client"'
    contact:
      email: payload.client.email
`), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	var log logtest.Buffer
	w := mapping.NewWorker(mapping.WorkerOptions{Store: db, Rules: rules, Log: zerolog.New(&log).Level(zerolog.InfoLevel)})
	lead := storeFixture(t, in, syncd.KindLokalebasen, "lb", fixtures+"/lokalebasen/enquiry_created.json", nil)
	storeFixture(t, in, syncd.KindLokalebasen, "lb", fixtures+"/lokalebasen/enquiry_created.json",
		func(b []byte) []byte { return bytes.Replace(b, []byte("grand view"), []byte("view"), 1) })
	storeFixture(t, in, syncd.KindEAF, "eaf", fixtures+"/eaf/feed_import.json", nil)
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && strings.HasPrefix(m["message"].(string), "lead ignored") {
			lines = append(lines, m)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("want one line of the ignored leads, got %d:\n%s", len(lines), log.String())
	}
	l := lines[0]
	if l["level"] != "info" || l["event"] != float64(lead) || l["source"] != "lb" ||
		l["reason"] != "no rule's condition holds for lokalebasen enquiry_created" ||
		!strings.Contains(l["fix"].(string), "syncd replay") {
		t.Errorf("the line of an ignored lead: %v", l)
	}
	if strings.Contains(log.String(), "angela") || strings.Contains(log.String(), "Baker") {
		t.Errorf("personal data in the log:\n%s", log.String())
	}
}
