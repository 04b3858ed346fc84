package report_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestMailNamesTheFailingPortalsAmongTheOthers: on a day of 24 portals,
// 10 with a listing still failing, the Summary and the mail list the 7
// that matter most and sum the others, 3 failing among them: the mail's
// "17 others" row said 3 listings still failing, and nowhere on which
// portals, so that a manager could not tell Zoopla was failing without
// opening the workbook. The mail names them under its portals: "Listings
// still failing among the 17 others: PrimeLocation 1, Rightmove 1,
// Zoopla 1.", in its text and HTML.
func TestMailNamesTheFailingPortalsAmongTheOthers(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	for _, c := range []struct {
		failing int
		among   string
	}{
		{10, "Listings still failing among the 17 others: PrimeLocation 1, Rightmove 1, Zoopla 1"},
		// Every one, however many: none hidden among the others.
		{20, "Listings still failing among the 17 others: Findbolig 1, Home 1, Homesandproperty 1, Idealista 1, " +
			"Jamesedition 1, Lejebolig 1, Nybolig 1, OnTheMarket 1, PrimeLocation 1, Propertyfinder 1, Realmaeglerne 1, " +
			"Rightmove 1, Zoopla 1"},
	} {
		t.Run(fmt.Sprintf("%d failing", c.failing), func(t *testing.T) {
			p, failing := failingAmongOthers(t, c.failing)
			for part, lines := range map[string][]string{"text": textLines(p), "HTML": htmlLines(t, p)} {
				all := strings.Join(lines, "\n")
				for _, name := range failing { // Onthemarket's label is OnTheMarket, and so on
					if !regexp.MustCompile(`(?i)\b` + name + `\b`).MatchString(all) {
						t.Errorf("the %s part does not name %s, a listing failing on it:\n%s", part, name, all)
					}
				}
				if !slices.ContainsFunc(lines, func(l string) bool { return strings.TrimSuffix(l, ".") == c.among }) {
					t.Errorf("the %s part lacks %q:\n%s", part, c.among, all)
				}
			}
		})
	}
}

// failingAmongOthers makes and mails the report of a day of 24 portals,
// two submissions each, the first n with a listing still failing, and
// returns the mail and the names of those n.
func failingAmongOthers(t *testing.T, n int) (*mailtest.Parsed, []string) {
	t.Helper()
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	var failing []string
	for i, name := range manyNames {
		at := day.Add(time.Duration(8*60+i*10) * time.Minute)
		submission(t, db, time.UTC, at, name, fmt.Sprintf("A%d", i), "success")
		status, codes := "success", []string(nil)
		if i < n {
			status, codes = "error", []string{"ERR_CODE_1"}
			failing = append(failing, strings.ToUpper(name[:1])+name[1:])
		}
		submission(t, db, time.UTC, at.Add(time.Minute), name, fmt.Sprintf("B%d", i), status, codes...)
	}
	srv := mailtest.Start(t, "syncd", "pw")
	if _, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2}, report.Options{Store: db,
		Dir: t.TempDir(), Location: time.UTC, Mailer: mailer(t, srv), Now: func() time.Time { return day.Add(30 * time.Hour) }}); err != nil {
		t.Fatal(err)
	}
	p := srv.Only(t)
	return p, failing
}
