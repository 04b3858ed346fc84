package report_test

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// manyMail makes and mails, through a real SMTP server, the report of a
// day of portals portals and sources lead sources (manyDay), and returns
// the workbook's path, the mail received and the day's submissions,
// failures and leads.
func manyMail(t *testing.T, portals, sources int) (path string, p *mailtest.Parsed, subs, failed, leads int) {
	t.Helper()
	db := openDB(t)
	srv := mailtest.Start(t, "syncd", "pw")
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	subs, failed, leads = manyDay(t, db, day, portals, sources)
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2}, report.Options{Store: db,
		Dir: t.TempDir(), Location: time.UTC, Mailer: mailer(t, srv), Now: func() time.Time { return day.Add(30 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	if p, err = msgs[0].Parse(); err != nil {
		t.Fatal(err)
	}
	return path, p, subs, failed, leads
}

// textPortal is a portal's line in the mail's text: its name,
// submissions, failed submissions and listings still failing.
var textPortal = regexp.MustCompile(`^(.+): (No|[\d,]+) submissions?, ([\d,]+) failed(?:$|; (?:[\d,]+) listings? failed: ([\d,]+) still failing)`)

// num is a count as the mail writes it ("2,009", "No") as a number.
func num(t *testing.T, s string) int {
	t.Helper()
	if s == "No" {
		return 0
	}
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		t.Fatalf("%q is no count", s)
	}
	return n
}

// htmlTable is the rows of the HTML part's table whose header line is
// header, to the first line that is no row of it.
func htmlTable(lines []string, header string) [][]string {
	i := slices.Index(lines, header)
	if i < 0 {
		return nil
	}
	cols := strings.Count(header, " | ")
	var out [][]string
	for _, l := range lines[i+1:] {
		cells := strings.Split(l, " | ")
		if len(cells) != cols+1 {
			break
		}
		out = append(out, cells)
	}
	return out
}

// portalsHeader is the header line of the HTML part's portal table: the
// figures' titles (a portal's name is on a line of its own).
const portalsHeader = "Sub\u00admissions | Failed | Listings failed | Still failing | Fixed later"

// htmlPortals is the rows of the HTML part's portal table, each a portal's
// name and its figures, as the Summary's Portal health gives them: the
// name's line of the table and the figures' line under it.
func htmlPortals(lines []string) [][]string {
	i := slices.Index(lines, portalsHeader)
	if i < 0 {
		return nil
	}
	var out [][]string
	for l := lines[i+1:]; len(l) >= 2 && !strings.Contains(l[0], " | "); l = l[2:] {
		figures := strings.Split(l[1], " | ")
		if len(figures) != 5 {
			break
		}
		out = append(out, append([]string{l[0]}, figures...))
	}
	return out
}

// mailed is the name of a row of the Summary's tables as the mail gives
// it: its own, or "17 others" for "17 others, on the sheet Portals and
// sources" (the mail says once where they are).
func mailed(name string) string {
	if m := othersRow.FindStringSubmatch(name); m != nil {
		return m[1] + " others"
	}
	return name
}

// TestMailOfManyPortalsSaysWhatTheSummarySays: the Summary of a day of 24
// portals and 22 lead sources lists 8 rows a table, the others summed, but
// the mail listed every one, in the text a line a portal by name and all
// 22 sources on the Leads line, in the HTML a row each: some fifty lines
// before the feed imports and what needs attention, the failing portals
// among them by their names' order. The mail now lists the rows the
// Summary does, in its order (the same function), with its "N others"
// row, adding up to the day's totals, the failing portals by name, and
// says that the workbook's sheet Portals and sources has every one. A day
// of 9 portals and 8 sources lists the 8 sources, 7 portals and 2 others;
// one of 6 and 5 every one, and says nothing of that sheet.
func TestMailOfManyPortalsSaysWhatTheSummarySays(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	for _, c := range []struct{ portals, sources int }{{24, 22}, {9, 8}, {6, 5}} {
		t.Run(fmt.Sprintf("%d portals, %d sources", c.portals, c.sources), func(t *testing.T) {
			path, p, subs, failed, leads := manyMail(t, c.portals, c.sources)
			f := openBook(t, path)
			sheetSources, sheetPortals := summaryTable(t, f, "Leads by source"), summaryTable(t, f, "Portal health")
			folded := c.portals > 8 || c.sources > 8
			text, lines := textLines(p), htmlLines(t, p)

			// The text: the Leads line's sources, and a line a portal.
			var sources [][]string
			for _, l := range text {
				if rest, ok := strings.CutPrefix(l, "Leads: "+strconv.Itoa(leads)+" ("); ok {
					list, _, _ := strings.Cut(rest, ")")
					for _, s := range strings.Split(list, ", ") {
						i := strings.LastIndex(s, " ")
						sources = append(sources, []string{s[:i], s[i+1:]})
					}
				}
			}
			var portals [][]string
			for _, l := range text {
				if m := textPortal.FindStringSubmatch(l); m != nil {
					portals = append(portals, m[1:])
				}
			}
			if len(sources) != len(sheetSources) || len(portals) != len(sheetPortals) {
				t.Fatalf("the text lists %d sources and %d portals, the Summary %d and %d:\n%s",
					len(sources), len(portals), len(sheetSources), len(sheetPortals), p.Text)
			}
			n := 0
			for i, s := range sources {
				if s[0] != mailed(sheetSources[i][0]) || num(t, s[1]) != num(t, sheetSources[i][1]) {
					t.Errorf("the text's source %d is %q, the Summary's %q", i+1, s, sheetSources[i])
				}
				n += num(t, s[1])
			}
			if n != leads {
				t.Errorf("the text's sources add up to %d leads, want %d", n, leads)
			}
			s, fl := 0, 0
			for i, r := range portals {
				w := sheetPortals[i]
				if r[0] != mailed(w[0]) || num(t, r[1]) != num(t, w[1]) || num(t, r[2]) != num(t, w[2]) || num(t, cmp.Or(r[3], "0")) != num(t, w[4]) {
					t.Errorf("the text's portal %d is %q, the Summary's %q", i+1, r, w)
				}
				s, fl = s+num(t, r[1]), fl+num(t, r[2])
			}
			if s != subs || fl != failed {
				t.Errorf("the text's portals add up to %d submissions, %d failed; want %d, %d", s, fl, subs, failed)
			}

			// The HTML: the same rows in its two tables.
			hs := htmlTable(lines, "Source | Leads")
			hp := htmlPortals(lines)
			if !slices.EqualFunc(hs, sheetSources, func(h, w []string) bool { return slices.Equal(h, []string{mailed(w[0]), w[1]}) }) {
				t.Errorf("the HTML's sources are\n%q\nthe Summary's\n%q", hs, sheetSources)
			}
			if len(hp) != len(sheetPortals) {
				t.Fatalf("the HTML lists %d portals, the Summary %d:\n%s", len(hp), len(sheetPortals), strings.Join(lines, "\n"))
			}
			for i, r := range hp {
				w := sheetPortals[i]
				if !slices.Equal(r, []string{mailed(w[0]), w[1], w[2], w[3], w[4], w[5]}) {
					t.Errorf("the HTML's portal %d is %q, the Summary's %q", i+1, r, w)
				}
			}

			// The failing portals by name (Rightmove, Boligsiden, Home,
			// Propertyfinder), in both parts.
			for i, name := range manyNames[:c.portals] {
				name = strings.ToUpper(name[:1]) + name[1:]
				named := func(r []string) bool { return r[0] == name }
				if i%6 == 0 && (!slices.ContainsFunc(portals, named) || !slices.ContainsFunc(hp, named)) {
					t.Errorf("the mail does not name %s, failing", name)
				}
			}

			// Where the others are, said once in each part when some are summed.
			for part, ls := range map[string][]string{"text": text, "HTML": lines} {
				said := slices.ContainsFunc(ls, func(l string) bool {
					return strings.HasPrefix(l, "Every portal and source") && strings.Contains(l, "sheet Portals and sources")
				})
				if said != folded {
					t.Errorf("the %s part says every portal is on the sheet Portals and sources: %v, want %v:\n%s",
						part, said, folded, strings.Join(ls, "\n"))
				}
			}
		})
	}
}
