package staterow

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestRowsReadAsEarlierVersionsWroteThem: the state rows are in databases
// already, and syncd migrate-store copies them between the stores as they
// are; these values are what both stores wrote before the encoding was
// shared, and they must read, and be written, the same.
func TestRowsReadAsEarlierVersionsWroteThem(t *testing.T) {
	at := time.Date(2026, 11, 30, 9, 15, 0, 123456000, time.UTC)
	const pauseRow = `{"until":"2026-11-30T09:15:00.123456Z","reason":"401 from the CRM"}`
	if v, err := pauseValue(syncd.Pause{Until: at, Reason: "401 from the CRM"}); err != nil || v != pauseRow {
		t.Errorf("pauseValue = %s, %v; want %s", v, err, pauseRow)
	}
	if p, err := parsePause(pauseRow); err != nil || !p.Until.Equal(at) || p.Reason != "401 from the CRM" || p.Kind != "" {
		t.Errorf("parsePause = %+v, %v; want %v and the reason, no kind", p, err, at)
	}
	// Since session 38 the row says its kind; a syncd before that reads
	// until and reason alike, and ignores the kind.
	const kindRow = `{"until":"2026-11-30T09:15:00.123456Z","reason":"authentication rejected: crm 401: expired","kind":"token"}`
	if v, err := pauseValue(syncd.Pause{Until: at, Kind: syncd.PauseToken, Reason: "authentication rejected: crm 401: expired"}); err != nil || v != kindRow {
		t.Errorf("pauseValue = %s, %v; want %s", v, err, kindRow)
	}
	if p, err := parsePause(kindRow); err != nil || p.Kind != syncd.PauseToken {
		t.Errorf("parsePause = %+v, %v; want kind token", p, err)
	}
	const failingRow = `{"since":"2026-11-30T09:15:00.123456Z","until":"2026-11-30T09:20:00.123456Z"}`
	if v, err := failingValue(at.In(time.FixedZone("CET", 3600)), at.Add(5*time.Minute), ""); err != nil || v != failingRow {
		t.Errorf("failingValue = %s, %v; want %s (in UTC)", v, err, failingRow)
	}
	f, err := parseFailing(failingRow)
	if err != nil || !f.Since.Equal(at) || !f.Until.Equal(at.Add(5*time.Minute)) || f.Since.Location() != time.UTC || f.Why != "" {
		t.Errorf("parseFailing = %+v, %v; want %v, 5 minutes later, in UTC, no why", f, err, at)
	}
	const whyRow = `{"since":"2026-11-30T09:15:00.123456Z","until":"2026-11-30T09:20:00.123456Z","why":"429 Too Many Requests"}`
	if f, err := parseFailing(whyRow); err != nil || f.Why != "429 Too Many Requests" {
		t.Errorf("parseFailing = %+v, %v; want its why", f, err)
	}
	rec := syncd.ReportRecord{Day: "2026-11-30", Subject: "Leads", HTML: "<p>3</p>"}
	mail, alarms, err := ReportRows(rec)
	if err != nil || mail != `{"subject":"Leads","html":"\u003cp\u003e3\u003c/p\u003e"}` || alarms != "null" {
		t.Errorf("ReportRows = %s, %s, %v", mail, alarms, err)
	}
	var got syncd.ReportRecord
	if err := ParseReportRows(&got, `{"subject":"Leads","html":"<p>3</p>"}`, "null"); err != nil ||
		got.Subject != "Leads" || got.HTML != "<p>3</p>" || got.Alarms != nil {
		t.Errorf("ParseReportRows = %+v, %v", got, err)
	}
	if err := ParseReportRows(&got, "{", "["); err == nil {
		t.Error("ParseReportRows read alarms that are not JSON")
	}
}
