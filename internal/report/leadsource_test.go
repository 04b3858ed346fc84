package report_test

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestEAFLeadWithoutEmailSourceIsFromEstateAgentFeeds: an Estate Agent
// Feeds email_lead names its portal in email_source; one that came without
// it (absent or null, as other fields come) was listed as from "(unknown)"
// in the Leads sheet and in the Summary's Leads by source, though syncd
// knows which sender it came through. It is Estate Agent Feeds', as a
// Lokalebasen lead is Lokalebasen's.
func TestEAFLeadWithoutEmailSourceIsFromEstateAgentFeeds(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	lead := fixture(t, "eaf/email_lead.json")
	source := []byte(`"email_source": "rightmove",`)
	if !bytes.Contains(lead, source) {
		t.Fatal("the fixture's email_source is not where the test looks")
	}
	db := openDB(t)
	day := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	for i, without := range [][]byte{nil, []byte(`"email_source": null,`), []byte(`"email_source": "",`)} {
		insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: bytes.Replace(lead, source, without, 1),
			at: day.Add(time.Duration(i) * time.Minute)})
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	leads := rows(t, f, "Leads")
	col := slices.Index(leads[0], "Source")
	if col < 0 || len(leads) != 4 {
		t.Fatalf("Leads sheet %q: want a Source column and three leads", leads)
	}
	for _, r := range leads[1:] {
		if r[col] != "Estate Agent Feeds" {
			t.Errorf("a lead without email_source is from %q; want Estate Agent Feeds", r[col])
		}
	}
	if sum := summaryMap(t, f); sum["Estate Agent Feeds"] != "3" || sum["(unknown)"] != "" {
		t.Errorf("Leads by source: Estate Agent Feeds %q, (unknown) %q; want 3 and none", sum["Estate Agent Feeds"], sum["(unknown)"])
	}
}
