package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// summary is what the Summary sheet and the mail say, counted while the
// detail sheets stream by: its size depends on the number of sources,
// types, portals and error codes, never on the number of leads.
type summary struct {
	day       Day
	loc       *time.Location
	from, to  time.Time
	made      time.Time
	leads     int
	perSource map[string]int
	perType   map[string]int
	crm       map[CRMStatus]int
	perHour   []int              // by hour since local midnight: 23, 24 or 25 of them
	portals   map[string]*[2]int // success, error
	codes     map[string]int
	// feed imports
	feedImports, recordsModified int64
	attention                    map[AttentionKind]int
	alarms                       []string // what needs an operator now
}

func newSummary(day Day, loc *time.Location, made time.Time) *summary {
	from, to := day.Bounds(loc)
	return &summary{
		day: day, loc: loc, from: from, to: to, made: made,
		perSource: map[string]int{}, perType: map[string]int{}, crm: map[CRMStatus]int{},
		perHour: make([]int, int(to.Sub(from)/time.Hour)),
		portals: map[string]*[2]int{}, codes: map[string]int{}, attention: map[AttentionKind]int{},
	}
}

func (s *summary) addLead(r *LeadRow, enquiryType string) {
	s.leads++
	s.perSource[r.Source]++
	s.perType[cmp.Or(enquiryType, "(none)")]++
	s.crm[r.Status]++
	if h := int(r.ReceivedAt.Sub(s.from) / time.Hour); h >= 0 && h < len(s.perHour) {
		s.perHour[h]++
	}
}

func (s *summary) addSubmission(portal string, ok bool) {
	portal = cmp.Or(portal, "(none)")
	p := s.portals[portal]
	if p == nil {
		p = new([2]int)
		s.portals[portal] = p
	}
	if ok {
		p[0]++
	} else {
		p[1]++
	}
}

func (s *summary) addErrorCode(code string) { s.codes[cmp.Or(code, "(none)")]++ }

// empty reports whether nothing at all happened on the day.
func (s *summary) empty() bool {
	return s.leads == 0 && len(s.portals) == 0 && s.feedImports == 0 && len(s.attention) == 0
}

// hours returns the local start of each hour of the day; on a day the
// clocks change the zone is named, since an hour may repeat.
func (s *summary) hours() []string {
	out := make([]string, len(s.perHour))
	layout := "15:04"
	if len(s.perHour) != 24 {
		layout = "15:04 MST"
	}
	for i := range out {
		out[i] = s.from.Add(time.Duration(i) * time.Hour).In(s.loc).Format(layout)
	}
	return out
}

// count is one named number of a summary table.
type count struct {
	Name string
	N    int
}

// sorted returns m's entries by count, largest first, then by name; at
// most limit of them when limit > 0.
func sorted[K ~string](m map[K]int, limit int) []count {
	out := make([]count, 0, len(m))
	for k, n := range m {
		out = append(out, count{string(k), n})
	}
	slices.SortFunc(out, func(a, b count) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Name, b.Name))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// portalNames returns the portals with a submission, by name.
func (s *summary) portalNames() []string {
	names := make([]string, 0, len(s.portals))
	for p := range s.portals {
		names = append(names, p)
	}
	slices.Sort(names)
	return names
}

// crmStatuses is the order CRM statuses are listed in.
var crmStatuses = []CRMStatus{CRMSynced, CRMPending, CRMDead, CRMUnmappable, CRMNotMapped, CRMNone}

// Text is the plain-text summary mailed with the workbook. It holds counts
// only, no personal data.
func (s *summary) Text() string {
	var b strings.Builder
	from, _ := s.day.Bounds(s.loc)
	fmt.Fprintf(&b, "Leads report for %s (%s, %s).\n\n", s.day, from.Format("Monday 2 January 2006"), s.loc)
	for _, a := range s.alarms {
		fmt.Fprintf(&b, "ALARM: %s\n", a)
	}
	if len(s.alarms) > 0 {
		b.WriteString("\n")
	}
	if s.empty() {
		b.WriteString("Nothing was received on this day: no leads, portal submissions or feed imports.\n")
	}
	fmt.Fprintf(&b, "Leads: %d", s.leads)
	writeCounts(&b, sorted(s.perSource, 0))
	b.WriteString("\n")
	if s.leads > 0 {
		b.WriteString("CRM:")
		sep := " "
		for _, st := range crmStatuses {
			if n := s.crm[st]; n > 0 {
				fmt.Fprintf(&b, "%s%d %s", sep, n, st)
				sep = ", "
			}
		}
		b.WriteString("\n")
	}
	var ok, failed int
	for _, p := range s.portals {
		ok, failed = ok+p[0], failed+p[1]
	}
	fmt.Fprintf(&b, "Portal submissions: %d succeeded, %d failed\n", ok, failed)
	if len(s.codes) > 0 {
		b.WriteString("Most frequent errors:")
		writeCounts(&b, sorted(s.codes, 5))
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Feed imports: %d (%d records modified)\n", s.feedImports, s.recordsModified)
	fmt.Fprintf(&b, "Needs attention: %d quarantined, %d unmappable, %d dead operations\n",
		s.attention[AttentionQuarantined], s.attention[AttentionUnmappable], s.attention[AttentionDead])
	fmt.Fprintf(&b, "\nThe workbook %s is attached.\n", s.day.FileName())
	return b.String()
}

func writeCounts(b *strings.Builder, cs []count) {
	if len(cs) == 0 {
		return
	}
	b.WriteString(" (")
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "%s %d", c.Name, c.N)
	}
	b.WriteString(")")
}
