package report_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestLongSlugsAndPortalNamesShowWhole: on the printed Leads sheet a slug
// longer than 19 ("hc-andersens-boulevard-10395") wrapped at a hyphen, and
// the name of a portal syncd does not know ("Rightmove_commercial")
// wrapped mid-word in a Source column 13 wide, though the message had
// room to give. They now show whole, up to 30 and 24 wide, while the page
// has room; on a day where every other column is at its widest too, they
// give it back down to 19 and 13, after the message, and the sheet still
// prints one page wide at 80% or more.
func TestLongSlugsAndPortalNamesShowWhole(t *testing.T) {
	t.Parallel()
	const (
		slug    = "hc-andersens-boulevard-10395"
		portal  = "rightmove_commercial"
		extKey  = "EJ-593915GV-ABCD"
		longest = "a long message, " // repeated: a message that wants every width it can get
	)
	for _, full := range []bool{false, true} {
		t.Run(map[bool]string{false: "room", true: "every column at its widest"}[full], func(t *testing.T) {
			db := openDB(t)
			at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
			lb := with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.location.id", "20445",
				"payload.location.external_key", extKey,
				"payload.requested_location.href", "https://www.lokalebasen.dk/leje/kontorlokaler/1560-kobenhavn-v/"+slug)
			eaf := with(t, fixture(t, "eaf/email_lead.json"), "email_source", portal)
			if full {
				lb = with(t, lb, "payload.client.name", "Hans-Christian Møller-Frederiksen",
					"payload.client.email", "hans.christian.moller.frederiksen@ejendomsadministration.dk",
					"payload.client.company", "Ejendomsadministration", "payload.client.phone", "+45 12 34 56 78 ext. 1234",
					"payload.comment", strings.Repeat(longest, 20))
			}
			insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: at, body: lb})
			insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: at.Add(time.Hour), body: eaf})
			path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
				report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			f := openBook(t, path)
			r := rows(t, f, "Leads")
			if len(r) < 3 || r[1][8] != "20445 / "+extKey || r[1][9] != slug || r[2][1] != "Rightmove_commercial" {
				t.Fatalf("the leads' property, slug and source: %q", r)
			}
			if px := printedPixels(t, f, "Leads", 'L'); px > printWidth/0.8 {
				t.Errorf("the Leads sheet's printed columns take %v pixels, more than prints at 80%%, %.0f", px, printWidth/0.8)
			}
			for _, c := range []struct {
				col, v string
				keep   float64
			}{{"B", r[2][1], 13}, {"I", r[1][8], 19}, {"J", r[1][9], 19}} {
				w, err := f.GetColWidth("Leads", c.col)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case !full && w < report.FitWidth(c.v):
					t.Errorf("Leads!%s %q needs %v of its column's %v: it wraps", c.col, c.v, report.FitWidth(c.v), w)
				case full && w < c.keep:
					t.Errorf("Leads!%s is %v wide on a full page, want %v at least", c.col, w, c.keep)
				}
			}
		})
	}
}

// TestLongReferencesShowWholeOnPortalFailures: the Portal failures
// sheet's Property column, 9 wide, wrapped a property's reference of 10
// digits or more ("123456789" over "0") and "out of range"; the portal's
// reference made of it ("1234567890123_EAF_67004") wrapped in a column 20
// wide, and a portal syncd does not know ("Rightmove_commercial") in one
// 12 wide. They now show whole, the errors and what to do giving up the
// width, and the sheet still prints one page wide at 80% or more.
func TestLongReferencesShowWholeOnPortalFailures(t *testing.T) {
	t.Parallel()
	loc := time.UTC
	db := openDB(t)
	at := time.Date(2026, 6, 2, 9, 0, 0, 0, loc)
	long := "ERR_DESCRIPTION_TOO_LONG_FOR_THE_PORTAL" // errors that want every width they can get
	submission(t, db, loc, at, "rightmove_commercial", "1234567890123", "error", long)
	submission(t, db, loc, at.Add(time.Hour), "zoopla", "1234567890", "error", long, "ERR_MISSING_PRICE")
	insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", at: at.Add(2 * time.Hour), mapState: "ignored",
		body: with(t, fixture(t, "eaf/portal_submission_error.json"), "eaf_reference", json.Number("1e400"))})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, "Portal failures")
	seen := map[string]bool{}
	for _, row := range r[1:] {
		for i, col := range []string{"B", "C", "D"} {
			v := row[i+1]
			seen[v] = true
			if w, err := f.GetColWidth("Portal failures", col); err != nil || w < report.FitWidth(v) {
				t.Errorf("Portal failures!%s %q needs %v of its column's %v (%v): it wraps", col, v, report.FitWidth(v), w, err)
			}
		}
	}
	for _, v := range []string{"Rightmove_commercial", "1234567890123", "1234567890123_EAF_67004", "1234567890", "out of range"} {
		if !seen[v] {
			t.Errorf("no portal or reference %q in the rows %q", v, r)
		}
	}
	if px := printedPixels(t, f, "Portal failures", 'J'); px > printWidth/0.8 {
		t.Errorf("the Portal failures sheet's printed columns take %v pixels, more than prints at 80%%, %.0f", px, printWidth/0.8)
	}
}

// TestCompaniesWrapAtTheirSpaces: on the printed Leads sheet a company's
// word longer than the column's 12, as Danish compounds are
// ("Ejendomsselskabet", "Advokatfirmaet"), wrapped mid-word:
// "Ejendomsselsk" over "abet". The column is now as wide as the longest
// word, up to 20, so that companies wrap at their spaces only, and the
// sheet still prints one page wide at 80% or more; a day of short words
// keeps it at 12.
func TestCompaniesWrapAtTheirSpaces(t *testing.T) {
	t.Parallel()
	for _, long := range []bool{true, false} {
		company := map[bool]string{true: "Ejendomsselskabet Nordhavn A/S", false: "Cloudberry Software A/S"}[long]
		db := openDB(t)
		at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
		insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: at,
			body: with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.client.company", company)})
		second := map[bool]string{true: "Advokatfirmaet Poul Schmith", false: "Nordic Design ApS"}[long]
		insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: at.Add(time.Minute),
			body: with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.client.company", second)})
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
			report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		f := openBook(t, path)
		r := rows(t, f, "Leads")
		if len(r) < 3 || r[1][7] != company {
			t.Fatalf("the lead's company: %q", r)
		}
		w, err := f.GetColWidth("Leads", "H")
		if err != nil {
			t.Fatal(err)
		}
		if !long && w != 12 {
			t.Errorf("Leads!H is %v wide for companies of short words, want 12", w)
		}
		for _, word := range []string{"Ejendomsselskabet", "Advokatfirmaet"} {
			if long && w < report.FitWidth(word) {
				t.Errorf("Leads!H is %v wide: %q needs %v, it wraps mid-word", w, word, report.FitWidth(word))
			}
		}
		if px := printedPixels(t, f, "Leads", 'L'); px > printWidth/0.8 {
			t.Errorf("the Leads sheet's printed columns take %v pixels, more than prints at 80%%, %.0f", px, printWidth/0.8)
		}
	}
}

// TestNamesWrapAtTheirSpaces: on the printed Leads sheet the First name
// and Last name columns were 10 wide at most, and a name's word longer
// than that, as many Danish and English names are ("Christoffersen",
// "Bartholomew", "Worthington-Smythe"), wrapped mid-word:
// "Christofferse" over "n", "Bartholome" over "w", though the message had
// the width to give. The columns are now as wide as their longest word
// (up to a hyphen, where the spreadsheets break a line too), up to 20, as
// the company's is; a day of short names keeps them at 10 at most, and on
// a page of every column at its widest they give back what it lacks, as
// the slugs and the company do, down to 10, the page still one wide at 80%.
func TestNamesWrapAtTheirSpaces(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		names []string
		full  bool // every other column at its widest too
	}{
		{"long", []string{"Hans-Christian Christoffersen", "Bartholomew Worthington-Smythe"}, false},
		{"short", []string{"Bo Jensen", "Ida Berg"}, false},
		{"every column at its widest", []string{"Hans-Christian Christoffersen", "Bartholomew Worthington-Smythe"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := openDB(t)
			at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
			for i, name := range c.names {
				lb := with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.client.name", name,
					"payload.client.email", fmt.Sprintf("lead%d@example.com", i))
				if c.full {
					lb = with(t, lb, "payload.client.email", fmt.Sprintf("hans.christian.moller.frederiksen%d@ejendomsadministration.dk", i),
						"payload.client.company", "Ejendomsadministration", "payload.client.phone", "+45 12 34 56 78 ext. 1234",
						"payload.requested_location.href", "https://www.lokalebasen.dk/leje/kontorlokaler/1560-kobenhavn-v/hc-andersens-boulevard-10395",
						"payload.location.external_key", "EJ-593915GV-ABCD", "payload.comment", strings.Repeat("a long message, ", 20))
				}
				insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: at.Add(time.Duration(i) * time.Minute), body: lb})
			}
			path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
				report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC, SplitName: mapping.SplitName})
			if err != nil {
				t.Fatal(err)
			}
			f := openBook(t, path)
			r := rows(t, f, "Leads")
			if len(r) < 3 {
				t.Fatalf("Leads: %q", r)
			}
			for i, col := range []string{"D", "E"} {
				w, err := f.GetColWidth("Leads", col)
				if err != nil {
					t.Fatal(err)
				}
				for _, row := range r[1:3] {
					for _, word := range strings.FieldsFunc(row[3+i], func(r rune) bool { return r == ' ' || r == '-' }) {
						if strings.Contains(row[3+i], word+"-") {
							word += "-" // the spreadsheets break after it
						}
						if need := report.FitWidth(word); c.name == "long" && w < need && need <= 20 {
							t.Errorf("Leads!%s is %v wide: %q of %q needs %v, it wraps mid-word", col, w, word, row[3+i], need)
						}
					}
				}
				if c.name == "short" && w > 10 {
					t.Errorf("Leads!%s is %v wide for names of short words, want 10 at most", col, w)
				}
				if c.full && w < 10 { // what it gives back, as the others do (shrink), is past 10
					t.Errorf("Leads!%s is %v wide on a full page, want 10 at least", col, w)
				}
			}
			if r[1][3] != "Hans-Christian" && r[1][3] != "Bo" {
				t.Errorf("the first lead's first name %q: want it split as the mapping splits it", r[1][3])
			}
			if px := printedPixels(t, f, "Leads", 'L'); px > printWidth/0.8 {
				t.Errorf("the Leads sheet's printed columns take %v pixels, more than prints at 80%%, %.0f", px, printWidth/0.8)
			}
		})
	}
}
