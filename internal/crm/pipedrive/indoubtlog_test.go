package pipedrive_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCreateInDoubtLogSaysItsUnit: a person create Pipedrive answered 502
// leaves its intent recorded; once the settle time is over, neither
// search nor a list that has never shown a record can prove it was not
// made, and the adapter waits, logging "create in doubt". That line gave
// since_sent as a bare number of milliseconds ("since_sent":1000), read as
// seconds by an operator; its name now says its unit, since_sent_ms, as
// the project's other durations in logs do (took_ms, wait_ms).
func TestCreateInDoubtLogSaysItsUnit(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Logger: zerolog.New(&log).Level(zerolog.InfoLevel)})
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/persons", Action: crmfake.ActError, Status: 502, Uses: 1})
	c := syncd.Contact{Key: "doubt@example.com", Email: "doubt@example.com", Properties: map[string]string{"name": "Doubt"}}
	ctx := context.Background()
	if r := a.UpsertContacts(ctx, []syncd.Contact{c})[0]; r.Err == nil {
		t.Fatalf("the create answered 502: %+v", r)
	}
	time.Sleep(150 * time.Millisecond) // past Settle (100ms in setup)
	if r := a.UpsertContacts(ctx, []syncd.Contact{c})[0]; r.Err == nil || !strings.Contains(r.Err.Error(), "CREATE_IN_DOUBT") {
		t.Fatalf("the create after a 502, past the settle time, with a list that showed nothing: %+v", r)
	}
	var line map[string]any
	for _, l := range strings.Split(log.String(), "\n") {
		var e map[string]any
		if json.Unmarshal([]byte(l), &e) == nil && strings.Contains(e["message"].(string), "create in doubt") {
			line = e
		}
	}
	if line == nil {
		t.Fatalf("no create in doubt line in\n%s", log.String())
	}
	if _, bare := line["since_sent"]; bare {
		t.Errorf("since_sent without a unit: %v", line)
	}
	if ms, ok := line["since_sent_ms"].(float64); !ok || ms < 100 {
		t.Errorf("since_sent_ms = %v; want the milliseconds since the create was sent (over 100): %v", line["since_sent_ms"], line)
	}
}
