package report_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestIdsOutOfRangeAreSaidSo: a Lokalebasen location id sent as the
// number 1e999999999 showed as "+Inf" in the Leads sheet's Property column
// (an Estate Agent Feeds reference or error code so sent, likewise on the
// Leads and Portal failures sheets and the Summary). An id or reference
// sent as a number past what a cell holds exactly now reads "out of
// range", as a feed import's count of records does (a fraction too);
// one written with an exponent within it reads as its digits, and one of
// plain digits as sent.
func TestIdsOutOfRangeAreSaidSo(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: at,
		body: with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.location.id", json.Number("1e999999999"),
			"payload.location.external_key", json.Number("2.0445e4"))})
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: at.Add(time.Hour),
		body: with(t, fixture(t, "eaf/email_lead.json"), "eaf_reference", json.Number("-1e999999999"),
			"eaf_development_reference", json.Number("123456789012345678901234567890"))})
	insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", at: at.Add(2 * time.Hour), mapState: "ignored",
		body: with(t, fixture(t, "eaf/portal_submission_error.json"), "eaf_reference", json.Number("1e400"),
			"eaf_portal_reference", json.Number("1.5"),
			"eaf_errors", []any{map[string]any{"eaf_code": json.Number("1e999999999"), "eaf_message": "refused"}})})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	leads := rows(t, f, "Leads")
	if len(leads) < 3 || leads[1][8] != "out of range / 20445" || leads[2][8] != "out of range / development 123456789012345678901234567890" {
		t.Errorf("the leads' properties: %q", leads)
	}
	var failed []string
	for _, r := range rows(t, f, "Portal failures") {
		if len(r) > 7 && r[1] == "Rightmove" {
			failed = r
		}
	}
	if len(failed) < 8 || failed[2] != "out of range" || failed[3] != "out of range" || failed[7] != "out of range: refused" {
		t.Errorf("the failed listing's property, portal ref and errors: %q", failed)
	}
	for _, sheet := range f.GetSheetList() {
		for i, r := range rows(t, f, sheet) {
			for j, v := range r {
				if strings.Contains(v, "Inf") {
					t.Errorf("%s row %d column %d: %q", sheet, i+1, j+1, v)
				}
			}
		}
	}
}
