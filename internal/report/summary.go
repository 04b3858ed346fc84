package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/message"

	"github.com/syncd-dev/syncd/internal/crm/dryrun"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Alarm is something that needs whoever runs syncd now: a CRM adapter
// paused on a rejected token, say. The report shows it first, in local
// time, and only in the reports of the days it concerns; it is recorded
// with the report, whose workbook made again (by erase, or the purge)
// shows it still.
type Alarm = syncd.ReportAlarm

// concerns reports whether a shows in the report of the day [from, to)
// made at made: it began before the day ended and had not ended before it
// began; one whose start is not known shows only in the reports made
// within two days of the day's end, never in an old day's.
func concerns(a Alarm, from, to, made time.Time) bool {
	if !a.Until.IsZero() && a.Until.Before(from) {
		return false
	}
	if a.Since.IsZero() {
		return made.Before(to.Add(48 * time.Hour))
	}
	return a.Since.Before(to)
}

// portalStats are one portal's submissions of the day and what became of
// the listings that failed.
type portalStats struct {
	submissions, failed   int
	listings, open, fixed int
}

// summary is what the Summary sheet and the mail say, counted while the
// detail sheets stream by: its size depends on the number of sources,
// portals and error codes, never on the number of leads.
type summary struct {
	day       Day
	loc       *time.Location
	from, to  time.Time
	made      time.Time
	first     time.Time // when a report made again was first made; zero for one made now
	kept      bool      // made again from a workbook the store did not record: first is the file's time
	leads     int
	erased    int            // leads of the day syncd erase erased since: counted, nothing else of them
	installed time.Time      // when syncd was installed (Options.Installed); zero when not known
	down      []Span         // the times no daemon received that meet the day (Down)
	perSource map[string]int // by the source a person knows: Lokalebasen, Rightmove, ...
	perType   map[string]int // Lokalebasen's direct and extra enquiries
	crm       map[CRMStatus]int
	crmName   string
	agency    string // Options.Agency: the agency the report is of, "" for none
	perHour   []int  // by hour since local midnight: 23, 24 or 25 of them
	portals   map[string]*portalStats
	codes     map[string]map[string]int // listings by error code, then portal
	// the days before, from the reports made for them; -1 when unknown
	dayBefore int
	// dayBeforePart says why dayBefore counts a part of its day (syncd
	// installed during it, or not receiving for a while): its change is
	// none. "" when it counts the whole day.
	dayBeforePart string
	weekAvg       float64
	weekDays      int // the days of the seven before that weekAvg averages
	weekDown      int // the days of the seven before with a report left out of weekAvg: syncd did not receive for a while
	// feed imports, and the first few of them (fewFeeds)
	feedImports, recordsModified int64
	recordsBad                   int64 // feed imports whose count of records is none (sender's RecordsBad)
	feeds                        []feedImport
	few                          []leadLine // the first fewLeads leads, for the Summary to list on a small day
	leadsListed                  bool       // the Summary lists every lead (summaryWriter.leadList): Leads does not print
	attention                    map[AttentionKind]int
	alarms                       []Alarm
	recorded                     []Alarm // those of alarms read, not raised by the rows: recorded with the report
	alarmErr                     string  // why the alarms could not be read
	// order is the order names are listed in, the reader's (nameOrder)
	order func(a, b string) int
	// num writes the numbers of the report's text, as the reader does (readerNumbers)
	num *message.Printer
}

// fewFeeds is how many feed imports the Summary lists itself; the Feed
// imports sheet then does not print (a page that holds a few lines).
const fewFeeds = 5

// fewLeads is how many leads the Summary lists itself, when they fit its
// page and no row of Needs attention links into the Leads sheet: it then
// does not print (a page for a line or two, after the Summary's).
const fewLeads = 3

// leadLine is one lead, as the Summary lists it: the Leads sheet's
// printed cells, the CRM's status as a cell in its style.
type leadLine struct {
	at                                            time.Time
	name, source, email, phone, property, message string
	crm                                           any    // the Leads sheet's CRM cell (crmStatus)
	contactURL                                    string // the CRM contact's web address, "" for none
}

// feedImport is one feed import, as the Summary lists it.
type feedImport struct {
	at                          time.Time
	source, agent, format, feed string
	records                     int64
	recordsBad                  string // why the body's count is none: the sender's RecordsBad
}

// addFeed counts a feed import and keeps the first few for the Summary.
func (s *summary) addFeed(f feedImport) {
	s.feedImports++
	if f.recordsBad != "" {
		s.recordsBad++
	}
	s.recordsModified += f.records
	if len(s.feeds) < fewFeeds {
		s.feeds = append(s.feeds, f)
	}
}

// recordsNote is what the Summary and the mail add to the day's count of
// records changed for the feed imports whose count was none: "" when all
// had one.
func (s *summary) recordsNote() string {
	if s.recordsBad == 0 {
		return ""
	}
	return plural(s.num, int(s.recordsBad), "import's count", "imports' counts") + " out of range or not a number"
}

// feedsListed reports whether the Summary lists every feed import.
func (s *summary) feedsListed() bool { return s.feedImports > 0 && s.feedImports <= fewFeeds }

func newSummary(day Day, loc *time.Location, made time.Time) *summary {
	from, to := day.Bounds(loc)
	return &summary{
		day: day, loc: loc, from: from, to: to, made: made,
		perSource: map[string]int{}, perType: map[string]int{}, crm: map[CRMStatus]int{},
		perHour: make([]int, int(to.Sub(from)/time.Hour)),
		portals: map[string]*portalStats{}, codes: map[string]map[string]int{}, attention: map[AttentionKind]int{},
		dayBefore: -1, weekAvg: -1, order: nameOrder(loc), num: readerNumbers(loc),
	}
}

func (s *summary) addLead(r *LeadRow, source, enquiryType string) {
	s.leads++
	s.perSource[source]++
	if enquiryType == "client" { // Lokalebasen's own word for a direct enquiry, as the shipped mappings write it
		enquiryType = "direct"
	}
	if enquiryType != "" {
		s.perType[enquiryType]++
	}
	s.crm[r.Status]++
	if r.Target != "" && r.Target != dryrun.Name {
		s.crmName = crmLabel(r.Target)
	}
	if h := int(r.ReceivedAt.Sub(s.from) / time.Hour); h >= 0 && h < len(s.perHour) {
		s.perHour[h]++
	}
}

func (s *summary) portal(name string) *portalStats {
	p := s.portals[name]
	if p == nil {
		p = &portalStats{}
		s.portals[name] = p
	}
	return p
}

func (s *summary) addSubmission(portal string, ok bool) {
	p := s.portal(portal)
	p.submissions++
	if !ok {
		p.failed++
	}
}

func (s *summary) addFailingListing(l *failingListing) {
	p := s.portal(l.portal)
	p.listings++
	switch l.status() {
	case statusFixed:
		p.fixed++
	default:
		p.open++
	}
	for _, c := range l.codes {
		c = cmp.Or(syncd.OneLine(c), "(no code)") // a row's label: one line, as a cell shows a sender's text
		if s.codes[c] == nil {
			s.codes[c] = map[string]int{}
		}
		s.codes[c][l.portal]++
	}
}

// history sets the day before's leads and the average of the seven days
// before from the reports made for them: of those that have one, began
// after syncd was installed (the day it was installed counted only the
// hours after) and on which syncd received all day (no time without a
// daemon in runs of MinDown or more, as the day's own report tells it:
// its leads are of a part of the day), weekDays of them; weekDown counts
// those left out for a stop.
func (s *summary) history(recs []Record, runs []Span) {
	before, weekStart := s.day.AddDays(-1).String(), s.day.AddDays(-7).String()
	n, total := 0, 0
	for _, r := range recs {
		if r.Day < weekStart || r.Day > before {
			continue
		}
		d, err := ParseDay(r.Day)
		if err != nil {
			continue
		}
		from, to := d.Bounds(s.loc)
		if r.Day == before && (s.installed.IsZero() || to.After(s.installed)) { // a day over before syncd was installed has none
			s.dayBefore = r.Leads
		}
		if !s.installed.IsZero() && from.Before(s.installed) {
			if r.Day == before {
				s.dayBeforePart = "syncd was installed during it"
			}
			continue
		}
		if len(Down(runs, from, to, s.made)) > 0 {
			if r.Day == before {
				s.dayBeforePart = "syncd did not receive for " + howLong(s.num, MinDown) + " or more during it"
			}
			s.weekDown++
			continue
		}
		n, total = n+1, total+r.Leads
	}
	if n > 0 {
		s.weekAvg, s.weekDays = float64(total)/float64(n), n
	}
}

// weekAvgHeader is the heading of the average's column: "7-day average",
// or over the fewer days it averages ("2-day average").
func (s *summary) weekAvgHeader() string {
	return strconv.Itoa(cmp.Or(s.weekDays, 7)) + "-day average"
}

// empty reports whether nothing at all happened on the day.
func (s *summary) empty() bool {
	return s.leads == 0 && len(s.portals) == 0 && s.feedImports == 0 && len(s.attention) == 0
}

// nothingText is what an empty day's report says, on day (its title, or
// "this day"): that nothing was received, or, when its leads were erased
// since, that they were, not a day with no leads (a dead intake, as read),
// on the day syncd was installed too (its subject says "2 erased").
func (s *summary) nothingText(day string) string {
	if s.notOver() && !s.beforeInstalled() {
		return s.nothingSoFar(day) + " The day was not over when this report was made (" + s.made.In(s.loc).Format("15:04 MST") + ")."
	}
	return s.nothingSoFar(day)
}

// nothingSoFar is nothingText without what it says of a day not over.
func (s *summary) nothingSoFar(day string) string {
	switch {
	case s.beforeInstalled():
		return "This day ended before syncd was installed (" + s.localTime(s.installed) + "): nothing of it was received."
	case s.erased > 0: // before the installation's wording: the subject says "2 erased"
		return fmt.Sprintf("%s received on %s and erased since (syncd erase): nothing of them is shown. "+
			"Nothing else was received%s: no portal submissions, no feed imports.", erasedLeads(s.num, s.erased, ""), day, s.sinceInstalled())
	}
	return "Nothing was received on " + day + s.sinceInstalled() + ": no leads, no portal submissions, no feed imports."
}

// sinceInstalled is " since syncd was installed at 10:15 CET" on the day
// syncd was installed, "" on any other.
func (s *summary) sinceInstalled() string {
	if !s.installedOnDay() {
		return ""
	}
	return " since syncd was installed at " + s.installed.In(s.loc).Format("15:04 MST")
}

// erasedText is the line under a day's leads saying how many more were
// erased since ("more" beside none left: of what?); "" when none, or when
// the day shows nothing else (nothingText says it then).
func (s *summary) erasedText() string {
	if s.erased == 0 || s.empty() {
		return ""
	}
	more := "more "
	if s.leads == 0 {
		more = ""
	}
	return erasedLeads(s.num, s.erased, more) + " received on this day and erased since (syncd erase): they are not counted or shown here."
}

// beforeInstalled reports whether the day ended before syncd was
// installed: a report made by hand of a day syncd did not run.
func (s *summary) beforeInstalled() bool {
	return !s.installed.IsZero() && !s.installed.Before(s.to)
}

// installedOnDay reports whether syncd was installed during the day: what
// was sent before then did not reach it.
func (s *summary) installedOnDay() bool {
	return s.installed.After(s.from) && s.installed.Before(s.to)
}

// notOver reports whether the day was not over when the report was made:
// a report made by hand of today (syncd report -date), which counts a
// part of the day.
func (s *summary) notOver() bool { return s.made.Before(s.to) }

// notOverText is the line under the day's leads of a day not over when
// the report was made: until when it counts, and why it gives no change
// against the days before (2 leads by 10:00 read as 80% fewer than the
// whole day before). "" for a day over, and when the day shows nothing
// else (nothingText says it then).
func (s *summary) notOverText() string {
	if !s.notOver() || s.empty() {
		return ""
	}
	return "This day was not over when this report was made: it counts what was received until " +
		s.made.In(s.loc).Format("15:04 MST") + ", and gives no change against the days before, which are whole days."
}

// installedText is the line under the day's leads of the day syncd was
// installed; "" on any other day, and when the day shows nothing else
// (nothingText says it then).
func (s *summary) installedText() string {
	if !s.installedOnDay() || s.empty() {
		return ""
	}
	return "syncd was installed at " + s.installed.In(s.loc).Format("15:04 MST") +
		" on this day: what was sent before then did not reach it and is not counted here."
}

// erasedLeads is "1 lead was", "3 leads were", with more before "lead".
func erasedLeads(p *message.Printer, n int, more string) string {
	return plural(p, n, more+"lead was", more+"leads were")
}

// failed is the number of failed portal submissions.
func (s *summary) failed() int {
	n := 0
	for _, p := range s.portals {
		n += p.failed
	}
	return n
}

// failing returns the portals with listings still failing, most first.
func (s *summary) failing() []count {
	m := map[string]int{}
	for name, p := range s.portals {
		if p.open > 0 {
			m[name] = p.open
		}
	}
	return sorted(m, 0, s.order)
}

// hours returns the local start of each hour of the day; on a day the
// clocks change the zone is named, since an hour may repeat.
func (s *summary) hours() []string {
	out := make([]string, len(s.perHour))
	layout := "15"
	if len(s.perHour) != 24 {
		layout = "15 MST"
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
// most limit of them when limit > 0; those of as many by order.
func sorted[K ~string](m map[K]int, limit int, order func(a, b string) int) []count {
	out := make([]count, 0, len(m))
	for k, n := range m {
		out = append(out, count{string(k), n})
	}
	slices.SortFunc(out, func(a, b count) int {
		return cmp.Or(cmp.Compare(b.N, a.N), order(a.Name, b.Name))
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
	slices.SortFunc(names, s.order)
	return names
}

// failingPortals returns the portals with a listing failing, those with
// most first.
func (s *summary) failingPortals() []string {
	var names []string
	for p, st := range s.portals {
		if st.listings > 0 {
			names = append(names, p)
		}
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(s.portals[b].listings, s.portals[a].listings), s.order(a, b))
	})
	return names
}

// crmStatuses is the order CRM statuses are listed in.
var crmStatuses = []CRMStatus{CRMSynced, CRMDryRun, CRMDeletedInCRM, CRMPending, CRMDead, CRMGivenUp, CRMUnmappable, CRMNotMapped, CRMNone}

// asOfCRMText says whose record "Sent to HubSpot" is, "" when no lead is so:
// syncd's, as it last wrote each lead to the CRM. A deal or contact a
// salesperson deleted there since still counts so until syncd writes that
// lead again (it then says "Deleted in"); asking the CRM at report time
// would cost a call a lead. Of the leads the dry run took, it says that
// it sends nothing.
func (s *summary) asOfCRMText() string {
	var says []string
	if s.crm[CRMDryRun] > 0 {
		says = append(says, fmt.Sprintf("%q: syncd runs without a CRM (crm.kind: dryrun), recording what it would send and sending "+
			"nothing; whoever runs syncd connects the CRM.", statusLabel(CRMDryRun, s.crmName)))
		if s.crmName != "" { // the day the CRM was set: the dry run took the earlier leads
			says[0] = fmt.Sprintf("%q: taken by the dry run syncd ran on before %s (crm.kind: dryrun), which sends nothing; "+
				"whoever runs syncd sends them with syncd replay.", statusLabel(CRMDryRun, s.crmName), s.crmName)
		}
	}
	if s.crm[CRMSynced] > 0 {
		says = append(says, fmt.Sprintf("%q is each lead as syncd last sent it: one a salesperson deleted in %s since is still "+
			"counted so until syncd writes it again.", statusLabel(CRMSynced, s.crmName), cmp.Or(s.crmName, "the CRM")))
	}
	return strings.Join(says, " ")
}

// statusLabel says a lead's CRM status in plain words, naming the CRM.
func statusLabel(st CRMStatus, crm string) string {
	crm = cmp.Or(crm, "the CRM")
	switch st {
	case CRMSynced:
		return "Sent to " + crm
	case CRMDryRun:
		return "Not sent: dry run"
	case CRMDeletedInCRM:
		return "Deleted in " + crm
	case CRMPending:
		return "Waiting to be sent"
	case CRMDead:
		return "Not sent: dead"
	case CRMGivenUp:
		return "Not sent: given up"
	case CRMUnmappable:
		return "Not sent: incomplete"
	case CRMNotMapped:
		return "Not processed yet"
	case CRMNone:
		return "Not for " + crm
	}
	return string(st)
}

// agencyPrefix is the agency's name followed by sep, set apart (apart)
// where it is written right to left; "" for none.
func agencyPrefix(agency, sep string) string {
	if agency == "" {
		return ""
	}
	return apart(agency) + sep
}

// dayTitle is the day as people say it: Sunday 29 March 2026.
func (s *summary) dayTitle() string { return s.from.Format("Monday 2 January 2006") }

// footerDay is what a printed page's footer says beside its sheet's name:
// the day and the zone of its times, "Tuesday 2 June 2026 · times
// Europe/Copenhagen", as the Summary's heading says them: a detail page
// gives its times as hh:mm, and may be read without the Summary's page.
// Of a day not over when the report was made, it says until when the day
// is counted ("Tuesday 2 June 2026 until 10:00 CEST"): the pages of the
// morning's leads are not those of the day's.
func (s *summary) footerDay() string {
	day := s.dayTitle()
	if s.notOver() {
		day += " until " + s.made.In(s.loc).Format("15:04 MST")
	}
	return day + " · times " + s.loc.String()
}

// madeWhen says when the report was made: a workbook made again (by
// erase, or the purge) says when first, and why it may list less than
// the copy mailed then.
func (s *summary) madeWhen() string {
	if s.first.IsZero() {
		return "made " + s.localTime(s.made)
	}
	return "made " + s.localTime(s.first) + " · made again " + s.localTime(s.made) +
		" without what syncd erase or the retention purge removed since"
}

// localTime renders t in the report's zone.
func (s *summary) localTime(t time.Time) string { return t.In(s.loc).Format("2006-01-02 15:04 MST") }

// alarmText is an alarm as the report says it, its times local, before
// its text: "(until ...)" after it read as the end of its way out ("run:
// syncd sync -resume. (until ...)", as if the command worked only until
// then).
func (s *summary) alarmText(a Alarm) string {
	var when []string
	if !a.Since.IsZero() {
		when = append(when, "Since "+s.localTime(a.Since))
	}
	if !a.Until.IsZero() {
		when = append(when, "until "+s.localTime(a.Until))
	}
	if len(when) == 0 {
		return a.Text
	}
	w := strings.Join(when, ", ")
	return strings.ToUpper(w[:1]) + w[1:] + ": " + a.Text
}
