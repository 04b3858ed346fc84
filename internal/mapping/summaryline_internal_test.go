package mapping

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// TestSummaryLineGivesWholeMilliseconds: the minute's "mapped events"
// line said "over":60000.336197 beside the receiver's "deliveries" line's
// "over":60002, the same field in whole milliseconds.
func TestSummaryLineGivesWholeMilliseconds(t *testing.T) {
	var buf bytes.Buffer
	w := NewWorker(WorkerOptions{Log: zerolog.New(&buf)})
	w.logSummary(PassSummary{Events: 3, Enqueued: 6}, time.Minute+336197*time.Nanosecond)
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("%v: %s", err, buf.String())
	}
	if line["over"] != float64(60000) {
		t.Errorf(`"over" = %v, want 60000 (whole milliseconds): %s`, line["over"], buf.String())
	}
}
