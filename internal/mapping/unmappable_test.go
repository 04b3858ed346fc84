package mapping_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUnmappableLeadIsAWarningNamingIt: a lead whose contact has neither
// email nor phone never reaches the CRM. It was said only at debug (and
// counted in the minute's info line), so the operator could not tell which
// lead was lost; it is now a warning at once naming the event and the rule
// and how to see it, never the payload's values (the reason may quote
// them). More of the same rule within the minute are counted, not each a
// line.
func TestUnmappableLeadIsAWarningNamingIt(t *testing.T) {
	db, in := openStore(t)
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	w := mapping.NewWorker(mapping.WorkerOptions{Store: db, Rules: rules, Log: zerolog.New(&logs).Level(zerolog.InfoLevel), Interval: time.Hour})
	var ids []int64
	for _, id := range []string{"a1", "a2"} {
		ids = append(ids, storeFixture(t, in, syncd.KindEAF, "eaf", fixtures+"/eaf/email_lead.json", func(b []byte) []byte {
			b = bytes.Replace(b, []byte(`"77722226661727188822717"`), []byte(`"`+id+`"`), 1)
			b = bytes.Replace(b, []byte(`"support@estateagentfeeds.com"`), []byte(`""`), 1)
			return bytes.Replace(b, []byte(`"+44(0)20 3870 4550"`), []byte(`"ring efter kl. 16"`), 1)
		}))
	}
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	var warns []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
		var m map[string]any
		if json.Unmarshal(line, &m) == nil && m["level"] == "warn" {
			warns = append(warns, m)
		}
	}
	if len(warns) != 1 {
		t.Fatalf("warnings: %v (log %s)", warns, logs.String())
	}
	m := warns[0]
	fix, _ := m["fix"].(string)
	if fmt.Sprint(m["event"]) != fmt.Sprint(ids[0]) || m["rule"] != "eaf-email-lead" || m["source"] != "eaf" ||
		!strings.Contains(fix, fmt.Sprintf("syncd events show %d", ids[0])) || !strings.Contains(fix, "syncd replay") {
		t.Fatalf("warning %v", m)
	}
	if l := logs.String(); strings.Contains(l, "EAF Support") || strings.Contains(l, "ring efter") {
		t.Fatalf("personal data logged: %s", l)
	}
}
