package report

import (
	"fmt"
	"slices"
)

// portalColumns are the sheet Portals and sources' columns: the Summary's
// Leads by source and Portal health figures side by side, a portal that
// is a lead source too (Rightmove) on one row.
var portalColumns = []column{
	{Title: "Portal or source", Min: 14, Max: 40},
	{Title: "Leads", Min: 8, Max: 10, Right: true},
	{Title: "Submissions", Min: 8, Max: 12, Right: true},
	{Title: "Failed", Min: 8, Max: 10, Right: true},
	{Title: "Listings failed", Min: 8, Max: 12, Right: true},
	{Title: "Still failing", Min: 8, Max: 12, Right: true},
	{Title: "Fixed later", Min: 8, Max: 12, Right: true},
}

// portalsIntro says why the sheet Portals and sources is there.
const portalsIntro = "Every portal with a submission and every source of a lead on this day, with its figures: " +
	"the Summary lists those that matter most and sums the others."

// writePortals adds the sheet Portals and sources, last, on a day the
// Summary sums some portals or sources in an others row (folded): every
// one by name, with its leads and its portal health.
func (b *book) writePortals() error {
	if !b.sum.folded() {
		return nil
	}
	if _, err := b.f.NewSheet(SheetPortals); err != nil {
		return fmt.Errorf("sheet %s: %w", SheetPortals, err)
	}
	sh, err := newStreamSheet(b.f, b.st, b.sum.num, SheetPortals, portalsIntro, portalColumns)
	if err != nil {
		return err
	}
	sh.day, sh.head = b.sum.footerDay(), b.sum.agency
	b.sheets[SheetPortals] = sh
	names := b.sum.portalNames()
	for n := range b.sum.perSource {
		if b.sum.portals[n] == nil {
			names = append(names, n)
		}
	}
	slices.SortFunc(names, b.sum.order)
	for _, n := range names {
		p := portalStats{}
		if b.sum.portals[n] != nil {
			p = *b.sum.portals[n]
		}
		open := cell(b.st.number, p.open)
		if p.open > 0 {
			open = cell(b.st.bad, p.open)
		}
		num := func(n int) any { return cell(b.st.number, n) }
		if err := sh.row(unsized, n, num(b.sum.perSource[n]), num(p.submissions), num(p.failed), num(p.listings), open,
			num(p.fixed)); err != nil {
			return err
		}
	}
	return sh.close("")
}
