package report

import (
	"cmp"
	"slices"
	"strconv"
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
	name  string // as the table names it
	chart string // as the failures chart labels its bar: cut to chartLabelMost, or "17 others"
	portalStats
}

// othersLabel names the row that sums n portals or sources the Summary
// does not list, and where they are. (No link to that sheet: LibreOffice
// does not wrap a cell with a link, and cut this label at its column.)
func othersLabel(n int) string {
	return strconv.Itoa(n) + " others, on the sheet " + SheetPortals
}

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
	names := s.portalNames()
	var rest []string
	if len(names) > listedMost {
		slices.SortFunc(names, func(a, b string) int {
			x, y := s.portals[a], s.portals[b]
			return cmp.Or(cmp.Compare(y.open, x.open), cmp.Compare(y.failed, x.failed),
				cmp.Compare(y.submissions, x.submissions), cmp.Compare(a, b))
		})
		names, rest = names[:listedMost-1], names[listedMost-1:]
		slices.Sort(names)
	}
	rows := make([]portalRow, 0, len(names)+1)
	for _, n := range names {
		rows = append(rows, portalRow{name: n, chart: nameUpTo(n, chartLabelMost), portalStats: *s.portals[n]})
	}
	if len(rest) == 0 {
		return rows
	}
	others := portalRow{name: othersLabel(len(rest)), chart: strconv.Itoa(len(rest)) + " others"}
	for _, n := range rest {
		p := s.portals[n]
		others.submissions += p.submissions
		others.failed += p.failed
		others.listings += p.listings
		others.open += p.open
		others.retried += p.retried
		others.fixed += p.fixed
	}
	return append(rows, others)
}

// sourceRows are the Summary's Leads by source rows, most leads first:
// every source, or, past listedMost, the listedMost-1 with most and the
// others summed in a last row.
func (s *summary) sourceRows() []count {
	rows := sorted(s.perSource, 0)
	if len(rows) <= listedMost {
		return rows
	}
	rest := count{Name: othersLabel(len(rows) - listedMost + 1)}
	for _, c := range rows[listedMost-1:] {
		rest.N += c.N
	}
	return append(rows[:listedMost-1], rest)
}
