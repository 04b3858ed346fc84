package report

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/bidi"
)

// listedMost is how many rows the Summary's Leads by source and Portal
// health tables take at most: past it, the listedMost-1 portals or
// sources that matter most, and a row summing the others, which the sheet
// Portals and sources lists each with its figures. Listed whole, a day of
// 24 portals and 22 sources printed the Summary at 73% of its size, and
// without its error codes.
const listedMost = 8

// portalRow is one row of the Summary's Portal health table: a portal's,
// or the others' summed.
type portalRow struct {
	name   string // as the table names it
	chart  string // as the failures chart labels its bar: cut to chartLabelMost, or "17 others"
	others int    // how many portals the row sums; 0 for a portal's own
	portalStats
}

// sourceRow is one row of the Summary's Leads by source table: a source's
// leads, or the others' summed.
type sourceRow struct {
	count      // as the table names and counts it
	others int // how many sources the row sums; 0 for a source's own
}

// othersLabel names the row that sums n portals or sources the Summary
// does not list, and where they are. (No link to that sheet: LibreOffice
// does not wrap a cell with a link, and cut this label at its column.)
func othersLabel(n int) string {
	return othersName(n) + ", on the sheet " + SheetPortals
}

// othersName names the row that sums n portals or sources where a line
// says once where they are (the mail), or there is no room to (a chart's
// label): "17 others".
func othersName(n int) string { return strconv.Itoa(n) + " others" }

// mailName is how the mail names a row of the Summary's tables: as the
// Summary does, up to mailNameMost characters, or the others "17 others",
// the mail saying once where they are (othersNote).
func mailName(name string, others int) string {
	if others > 0 {
		return othersName(others)
	}
	return apart(nameUpTo(name, mailNameMost))
}

// mailNameMost is how many characters of a portal's or source's name the
// mail and the line naming the others still failing give: a sender's name
// of 400,000 characters was written whole in the mail's text and HTML each
// time the mail named it, megabytes of one name. The workbook's Leads and
// Portal failures sheets have it whole.
const mailNameMost = 100

// apart is a portal's or source's name set apart from the text around it
// by left-to-right marks (U+200E, invisible) when it holds a letter of a
// right-to-left script (Arabic, Hebrew): else, by the Unicode
// bidirectional algorithm, the count after it joins its right-to-left
// reading ("on عقارات, 10 on Zoopla" shows as "on 10 ,عقارات on Zoopla"),
// and a line starting with it is shown right to left whole by a mail
// program that takes a line's direction from its first letter. Other
// names are as they are.
func apart(name string) string {
	for _, r := range name {
		if p, _ := bidi.LookupRune(r); p.Class() == bidi.R || p.Class() == bidi.AL {
			return lrm + name + lrm
		}
	}
	return name
}

// lrm is the left-to-right mark, U+200E.
const lrm = "\u200e"

// othersNote is the line the mail adds when the Summary sums some
// portals or sources in an others row: where every one is.
const othersNote = "Every portal and source, with its figures, is on the workbook's sheet " + SheetPortals + "."

// folded reports whether the Summary sums some portals or sources in an
// others row: the sheet Portals and sources then lists them all.
func (s *summary) folded() bool {
	return len(s.portals) > listedMost || len(s.perSource) > listedMost
}

// portalRows are the Summary's Portal health rows: every portal by name,
// or, past listedMost, those that matter most (listings still failing,
// then failed submissions, then submissions) by name and the others
// summed in a last row.
func (s *summary) portalRows() []portalRow {
	names, rest := s.listedPortals()
	rows := make([]portalRow, 0, len(names)+1)
	for _, n := range names {
		rows = append(rows, portalRow{name: n, chart: nameUpTo(n, chartLabelMost), portalStats: *s.portals[n]})
	}
	if len(rest) == 0 {
		return rows
	}
	others := portalRow{name: othersLabel(len(rest)), chart: othersName(len(rest)), others: len(rest)}
	for _, n := range rest {
		p := s.portals[n]
		others.submissions += p.submissions
		others.failed += p.failed
		others.listings += p.listings
		others.open += p.open
		others.fixed += p.fixed
	}
	return append(rows, others)
}

// listedPortals are the portals with a submission the Summary lists by
// name, by name, and those its others row sums, those that matter most
// first (listings still failing, then failed submissions, then
// submissions): every one listed up to listedMost.
func (s *summary) listedPortals() (listed, rest []string) {
	names := s.portalNames()
	if len(names) <= listedMost {
		return names, nil
	}
	slices.SortFunc(names, func(a, b string) int {
		x, y := s.portals[a], s.portals[b]
		return cmp.Or(cmp.Compare(y.open, x.open), cmp.Compare(y.failed, x.failed),
			cmp.Compare(y.submissions, x.submissions), s.order(a, b))
	})
	listed, rest = slices.Clone(names[:listedMost-1]), names[listedMost-1:]
	slices.SortFunc(listed, s.order)
	return listed, rest
}

// othersFailing are the portals the others row sums that have a listing
// still failing, most first, each with how many: on a day more than
// listedMost-1 portals fail, the row's figure names none of them.
func (s *summary) othersFailing() (failing []count, others int) {
	_, rest := s.listedPortals()
	for _, n := range rest {
		if open := s.portals[n].open; open > 0 {
			failing = append(failing, count{n, open})
		}
	}
	return failing, len(rest)
}

// othersFailingText is the mail's line naming the portals among the
// others with a listing still failing, every one (none hidden among the
// others, however many): "Listings still failing among the 17 others:
// Zoopla 2, Rightmove 1"; "" when none is.
func (s *summary) othersFailingText() string {
	failing, others := s.othersFailing()
	if len(failing) == 0 {
		return ""
	}
	named := make([]string, 0, len(failing))
	for _, c := range failing {
		named = append(named, apart(nameUpTo(c.Name, mailNameMost))+" "+thousands(s.num, c.N))
	}
	return "Listings still failing among the " + othersName(others) + ": " + strings.Join(named, ", ")
}

// sourceRows are the Summary's Leads by source rows, most leads first:
// every source, or, past listedMost, the listedMost-1 with most and the
// others summed in a last row.
func (s *summary) sourceRows() []sourceRow {
	all := sorted(s.perSource, 0, s.order)
	rows := make([]sourceRow, 0, min(len(all), listedMost))
	for _, c := range all {
		rows = append(rows, sourceRow{count: c})
	}
	if len(rows) <= listedMost {
		return rows
	}
	n := len(rows) - listedMost + 1
	rest := sourceRow{count: count{Name: othersLabel(n)}, others: n}
	for _, c := range rows[listedMost-1:] {
		rest.N += c.N
	}
	return append(rows[:listedMost-1], rest)
}
