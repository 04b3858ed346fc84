package report

import (
	"html/template"
	"strings"
	"time"

	"golang.org/x/text/message"
)

// Subject is the mail's subject: what matters, in a line, and the day,
// the alarms first: "CRM paused · 12 leads · 5 listings failing on
// Rightmove · Tue 10 Mar 2026". A mail program shows the first 40 to 130
// characters of a subject; after the failing portals, an alarm was past
// them, and a day the CRM was down read as any other in the inbox.
func (s *summary) Subject() string {
	var alarms []string
	for _, a := range s.alarms {
		alarms = append(alarms, a.Short)
	}
	if s.alarmErr != "" {
		alarms = append(alarms, unreadableShort)
	}
	parts := []string{plural(s.num, s.leads, "lead", "leads")}
	if s.leads == 0 {
		parts[0] = "No leads"
	}
	var notes []string
	if s.notOver() { // a day not over, made by hand: not a quiet day
		parts[0] += " so far"
		notes = append(notes, "to "+s.clock(s.made))
	}
	switch {
	case s.erased > 0: // a day made again after syncd erase: not a dead intake
		notes = append(notes, s.num.Sprintf("%d erased", s.erased))
	case s.beforeInstalled(): // nor is a day before syncd ran
		notes = append(notes, "before syncd was installed")
	case s.installedOnDay(): // nor the hours of the day before it ran
		notes = append(notes, "syncd installed "+s.clock(s.installed))
	}
	if len(notes) > 0 {
		parts[0] += " (" + strings.Join(notes, ", ") + ")"
	}
	if d := s.downShort(); d != "" { // nor the hours it did not run
		parts = append(parts, d)
	}
	failing := s.failing()
	for i, c := range failing {
		switch {
		case i == 0:
			parts = append(parts, plural(s.num, c.N, "listing", "listings")+" failing on "+subjectName(c.Name))
		case i == subjectPortals && len(failing) > subjectPortals+1: // the rest in one: the subject is a line
			n := 0
			for _, o := range failing[i:] {
				n += o.N
			}
			parts[len(parts)-1] += s.num.Sprintf(", %d on %d other portals", n, len(failing)-i)
		case i < subjectPortals || len(failing) == subjectPortals+1:
			parts[len(parts)-1] += s.num.Sprintf(", %d on %s", c.N, subjectName(c.Name))
		}
	}
	if s.agency != "" { // after the alarms, before the figures: a mail list shows it of each agency's report
		alarms = append(alarms, apart(s.agency))
	}
	// The year too: a mail found by search a year on is of one day alone.
	return strings.Join(append(alarms, parts...), " · ") + " · " + s.from.Format("Mon 2 Jan 2006")
}

// subjectPortals is how many failing portals the subject names; the
// others it counts. Mail clients show the first 60 to 130 characters of a
// subject: twenty portals pushed the alarms and the day out of sight.
const subjectPortals = 3

// subjectNameRunes is the most characters of a portal's name the subject
// shows: a sender names its portals, and one name of a thousand
// characters was the whole subject a mail client showed.
const subjectNameRunes = 40

// subjectName is a portal's name as the subject shows it: cut to
// subjectNameRunes with an ellipsis, and set apart (apart).
func subjectName(name string) string {
	if r := []rune(name); len(r) > subjectNameRunes {
		name = string(r[:subjectNameRunes-1]) + "…"
	}
	return apart(name)
}

// leadsChange says how the day's leads compare with the days before.
func (s *summary) leadsChange() string {
	var out []string
	p := s.num
	if s.dayBefore >= 0 && s.dayBeforePart != "" {
		out = append(out, p.Sprintf("%d the day before (%s)", s.dayBefore, s.dayBeforePart))
	} else if s.dayBefore >= 0 {
		out = append(out, p.Sprintf("%d the day before", s.dayBefore))
	}
	switch {
	case s.weekDays == 7:
		out = append(out, p.Sprintf("%.1f a day on average over the week before", s.weekAvg))
	case s.weekDays > 0 && s.weekDown == 0: // the others have no report, or syncd began during them
		out = append(out, p.Sprintf("%.1f a day on average over %d of the 7 days before (the others have no report, or syncd was installed during them)", s.weekAvg, s.weekDays))
	case s.weekDays > 0:
		out = append(out, p.Sprintf("%.1f a day on average over %d of the 7 days before (left out: %s)", s.weekAvg, s.weekDays, s.weekLeftOut()))
	case s.weekDown > 0:
		out = append(out, "no average of the days before: syncd did not receive for "+howLong(s.num, MinDown)+" or more on each with a report")
	}
	return strings.Join(out, ", ")
}

// noLeadsChange is what an empty day's Summary says under what it says
// of the day, as the mail says it: "No leads (118 the day before, 83.3 a
// day on average over the week before)"; "" when there is nothing to
// compare with. Without it, a day the senders' webhooks pointed elsewhere
// read as a quiet Sunday.
func (s *summary) noLeadsChange() string {
	if c := s.leadsChange(); c != "" {
		return "No leads (" + c + ")"
	}
	return ""
}

// weekNote is the Summary's line under its Leads table saying which days
// before its average leaves out when one is for a stop (the column's
// heading says over how many): "" when none is.
func (s *summary) weekNote() string {
	switch {
	case s.weekDown == 0:
		return ""
	case s.weekDays == 0:
		return "No average of the days before: syncd did not receive for " + howLong(s.num, MinDown) + " or more on each with a report."
	}
	return "The " + s.weekAvgHeader() + " leaves out " + s.weekLeftOut() + "."
}

// weekLeftOut says which of the seven days before the average left out:
// those syncd did not receive on for a while, and the others.
func (s *summary) weekLeftOut() string {
	p := s.num
	out := p.Sprintf("%s on which syncd did not receive for %s or more", plural(p, s.weekDown, "day", "days"), howLong(s.num, MinDown))
	if other := 7 - s.weekDays - s.weekDown; other > 0 {
		out += p.Sprintf(", and %d with no report or before syncd was installed", other)
	}
	return out
}

// Text is the plain-text summary mailed with the workbook. It holds counts
// only, no personal data.
func (s *summary) Text() string {
	var b strings.Builder
	p := s.num
	// The alarms first, as in the HTML part: a mail program's preview
	// shows the first line or two of a message.
	for _, a := range s.alarms {
		p.Fprintf(&b, "ALARM: %s\n", s.alarmText(a))
	}
	if s.alarmErr != "" {
		p.Fprintf(&b, "ALARM: %s%s\n", unreadableText, s.alarmErr)
	}
	if len(s.alarms) > 0 || s.alarmErr != "" {
		b.WriteString("\n")
	}
	if s.agency != "" {
		p.Fprintf(&b, "Leads report of %s for %s (times in %s).\n", apart(s.agency), s.dayTitle(), s.loc)
	} else {
		p.Fprintf(&b, "Leads report for %s (times in %s).\n", s.dayTitle(), s.loc)
	}
	// When, as the HTML part and the Summary say it: a report made again
	// (syncd erase) may list less than the copy mailed that morning.
	p.Fprintf(&b, "%s.\n\n", upperFirst(s.madeWhen()))
	if s.empty() {
		b.WriteString(s.nothingText("this day") + "\n")
	}
	p.Fprintf(&b, "Leads: %d", s.leads)
	writeCounts(&b, p, s.mailSources())
	if c := s.leadsChange(); c != "" {
		p.Fprintf(&b, "; %s", c)
	}
	b.WriteString("\n")
	for _, e := range []string{s.notOverText(), s.erasedText(), s.installedText(), s.downText()} {
		if e != "" {
			b.WriteString(e + "\n")
		}
	}
	if e := s.enquiriesText(); e != "" {
		b.WriteString(e + "\n")
	}
	if s.leads > 0 {
		b.WriteString("CRM:")
		sep := " "
		for _, st := range crmStatuses {
			if n := s.crm[st]; n > 0 {
				p.Fprintf(&b, "%s%d %s", sep, n, lowerFirst(statusLabel(st, s.crmName)))
				sep = ", "
			}
		}
		b.WriteString("\n")
		if a := s.asOfCRMText(); a != "" {
			b.WriteString(a + "\n")
		}
	}
	for _, x := range s.portalRows() { // as the Summary lists them
		p.Fprintf(&b, "%s: %s, %d failed", mailName(x.name, x.others), plural(p, x.submissions, "submission", "submissions"), x.failed)
		if x.listings > 0 { // what they split: the listings failed, as the Summary gives them
			p.Fprintf(&b, "; %s failed: %d still failing, %d fixed later",
				plural(p, x.listings, "listing", "listings"), x.open, x.fixed)
		}
		b.WriteString("\n")
	}
	if f := s.othersFailingText(); f != "" {
		b.WriteString(f + "\n")
	}
	if len(s.portals) > 0 { // where, as the HTML part says it: the text is read alone too
		b.WriteString(failuresNote + "\n")
	}
	if s.folded() {
		b.WriteString(othersNote + "\n")
	}
	if f := s.feedsText(); f != "" {
		b.WriteString(f + "\n")
	}
	if s.attentionTotal() > 0 {
		var parts []string
		for _, k := range []struct {
			kind AttentionKind
			say  string
		}{{AttentionQuarantined, "quarantined"}, {AttentionUnmappable, "incomplete"},
			{AttentionUnrecognised, "unrecognised"}, {AttentionNewType, "of a new event type"},
			{AttentionLeftOut, "with a field left out for the CRM"}, {AttentionDead, "dead operations"}} {
			if n := s.attention[k.kind]; n == 1 && k.kind == AttentionDead {
				parts = append(parts, "1 dead operation")
			} else if n > 0 {
				parts = append(parts, p.Sprintf("%d %s", n, k.say))
			}
		}
		p.Fprintf(&b, "For whoever runs syncd: %s (on the sheet %s)\n", strings.Join(parts, ", "), SheetAttention)
	}
	if g := s.givenUp(); g != "" {
		p.Fprintf(&b, "%s: nothing to do unless one should be sent after all (syncd outbox retry ID)\n", g)
	}
	p.Fprintf(&b, "\nThe workbook %s is attached.\n", s.day.FileName())
	return b.String()
}

// failuresNote is the text part's line under the portals saying where
// each failing listing is, as the HTML part says it.
const failuresNote = "The sheet " + SheetFailures + " lists each failing listing with what to do."

// directLabel and extraLabel name Lokalebasen's two kinds of enquiry,
// with what each is, in the Summary's table and the mail.
const (
	directLabel = "Direct (the client asked)"
	extraLabel  = "Extra (Lokalebasen suggested)"
)

// enquiriesText says the day's Lokalebasen enquiries of each kind, as the
// Summary's table names them: "Lokalebasen: 35 direct (the client asked),
// 21 extra (Lokalebasen suggested)"; "" on a day of none. Without what
// they are, "21 extra" meant nothing to a manager.
func (s *summary) enquiriesText() string {
	direct, extra := s.perType["direct"], s.perType["extra"]
	if direct+extra == 0 {
		return ""
	}
	return s.num.Sprintf("Lokalebasen: %d %s, %d %s", direct, lowerFirst(directLabel), extra, lowerFirst(extraLabel))
}

// feedsText says the day's feed imports and the records they changed, ""
// on a day of none: "Feed imports: 3 (27 records changed)".
func (s *summary) feedsText() string {
	if s.feedImports == 0 {
		return ""
	}
	note := s.recordsNote()
	if note != "" {
		note = "; " + note
	}
	return s.num.Sprintf("Feed imports: %d (%d records changed%s)", s.feedImports, s.recordsModified, note)
}

// upperFirst puts s's first letter in upper case, to start a line.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// lowerFirst puts s's first letter in lower case, for use mid-sentence.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// mailSources are the Summary's Leads by source rows as the mail names
// them (mailName).
func (s *summary) mailSources() []count {
	var out []count
	for _, r := range s.sourceRows() {
		out = append(out, count{mailName(r.Name, r.others), r.N})
	}
	return out
}

func writeCounts(b *strings.Builder, p *message.Printer, cs []count) {
	if len(cs) == 0 {
		return
	}
	b.WriteString(" (")
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Name + " " + thousands(p, c.N))
	}
	b.WriteString(")")
}

// mailPortal is one row of the mail's portal table.
type mailPortal struct {
	Name                                       string
	Submissions, Failed, Listings, Open, Fixed int
}

// mailPage is what the HTML template fills in.
type mailPage struct {
	Title, Zone, Made, Change, File string
	Agency                          string // the agency the report is of, "" for none
	Alarms                          []string
	Empty                           bool
	Nothing, Erased                 string // what an empty day says; the leads erased since, "" for none
	NotOver                         string // that the day was not over when the report was made, "" when it was
	Installed                       string // that syncd was installed on the day, "" on any other
	Down                            string // when syncd did not receive on the day, "" when it did all day
	Leads                           int
	Sources                         []count
	Enquiries                       string // Lokalebasen's enquiries of each kind, "" for none
	CRM                             []count
	AsOfCRM                         string // whose record "Sent to HubSpot" is, "" when no lead is so
	Portals                         []mailPortal
	Attention                       int
	GivenUp                         string // the operations given up by hand, "" for none
	Others                          string // where every portal and source is when the tables sum some, "" when they list all
	Feeds                           string // the day's feed imports, "" for none
	OthersFailing                   string // the portals among the others with a listing still failing, "" for none
}

// headCell is the attributes of a table's heading cell in the mail: its
// background on the cell, as bgcolor too, not on the row (Outlook, which
// lays out mail with Word, shades cells, and drew a row's white titles on
// white).
const headCell = ` bgcolor="#1F4E78" style="background-color: #1F4E78; color: #FFFFFF;"`

// mailFuncs are the functions the HTML template writes numbers with, as
// num writes them (readerNumbers): the template is parsed with those of
// English, and each mail executes a clone of it with its reader's.
func mailFuncs(num *message.Printer) template.FuncMap {
	return template.FuncMap{
		"n":      func(n int) string { return thousands(num, n) },
		"plural": func(n int, one, many string) string { return plural(num, n, one, many) },
	}
}

var mailHTML = template.Must(template.New("mail").Funcs(mailFuncs(readerNumbers(time.UTC))).Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="color-scheme" content="light"><meta name="supported-color-schemes" content="light">
<title>Leads report {{if .Agency}}{{.Agency}} · {{end}}{{.Title}}</title></head>
<body bgcolor="#FFFFFF" style="background-color: #FFFFFF; font-family: Calibri, Arial, sans-serif; font-size: 15px; color: #222;">
{{range .Alarms}}<p style="background: #C00000; color: #fff; font-weight: bold; padding: 8px 12px;">ALARM: {{.}}</p>
{{end}}<h2 style="color: #1F4E78; margin-bottom: 4px;">Leads report · {{if .Agency}}{{.Agency}} · {{end}}{{.Title}}</h2>
<p style="color: #595959; margin-top: 0;">Times are {{.Zone}} · {{.Made}}</p>
{{if .Empty}}<p><em>{{.Nothing}}</em></p>
{{if .Change}}<p><strong>No leads</strong> <span style="color: #595959;">({{.Change}})</span></p>{{end}}
{{if .Down}}<p style="color: #595959;">{{.Down}}</p>{{end}}
{{else}}<p style="font-size: 20px;"><strong>{{plural .Leads "lead" "leads"}}</strong>{{if .Change}} <span style="color: #595959; font-size: 15px;">({{.Change}})</span>{{end}}</p>
{{if .NotOver}}<p style="color: #595959;">{{.NotOver}}</p>{{end}}
{{if .Erased}}<p style="color: #595959;">{{.Erased}}</p>{{end}}
{{if .Installed}}<p style="color: #595959;">{{.Installed}}</p>{{end}}
{{if .Down}}<p style="color: #595959;">{{.Down}}</p>{{end}}
{{if .Sources}}<table style="border-collapse: collapse;" cellpadding="4">
<tr><th align="left"` + headCell + `>Source</th><th align="right"` + headCell + `>Leads</th></tr>
{{range .Sources}}<tr><td style="overflow-wrap: anywhere; word-break: break-word;">{{.Name}}</td><td align="right">{{n .N}}</td></tr>
{{end}}</table>{{end}}
{{if .Enquiries}}<p>{{.Enquiries}}.</p>{{end}}
{{if .CRM}}<p>CRM: {{range $i, $c := .CRM}}{{if $i}}, {{end}}{{n $c.N}} {{$c.Name}}{{end}}.</p>{{end}}
{{if .AsOfCRM}}<p>{{.AsOfCRM}}</p>{{end}}
{{if .Portals}}<h3 style="color: #1F4E78;">Portal submissions</h3>
<table style="border-collapse: collapse;" cellpadding="4">
<tr style="font-size: 13px;"><th align="right"` + headCell + `>Sub&shy;missions</th><th align="right"` + headCell + `>Failed</th><th align="right"` + headCell + `>Listings failed</th><th align="right"` + headCell + `>Still failing</th><th align="right"` + headCell + `>Fixed later</th></tr>
{{range .Portals}}<tr><td colspan="5" style="border-top: 1px solid #BFBFBF; font-weight: bold; overflow-wrap: anywhere; word-break: break-word;">{{.Name}}</td></tr>
<tr><td align="right">{{n .Submissions}}</td><td align="right">{{n .Failed}}</td><td align="right">{{n .Listings}}</td><td align="right"{{if .Open}} bgcolor="#FFC7CE" style="background-color: #FFC7CE; color: #9C0006; font-weight: bold;"{{end}}>{{n .Open}}</td><td align="right">{{n .Fixed}}</td></tr>
{{end}}</table>
{{if .OthersFailing}}<p style="color: #9C0006; font-weight: bold;">{{.OthersFailing}}.</p>{{end}}
<p>The sheet <em>Portal failures</em> lists each failing listing with what to do.</p>{{end}}
{{if .Others}}<p>{{.Others}}</p>{{end}}
{{if .Feeds}}<p>{{.Feeds}}.</p>{{end}}
{{if .Attention}}<p style="color: #595959;">For whoever runs syncd: {{plural .Attention "item" "items"}} on the sheet <em>Needs attention</em>.</p>{{end}}
{{if .GivenUp}}<p style="color: #595959;">{{.GivenUp}}: nothing to do unless one should be sent after all (syncd outbox retry ID).</p>{{end}}
{{end}}<p>The workbook {{.File}} is attached.</p>
</body></html>
`))

// HTML is the mail's HTML part: the key figures and the per-portal
// failures as a small table, times local. Counts only, no personal data.
// Its colours are for a white page, which it sets with them (and says,
// color-scheme: light): a mail program in dark mode that keeps a
// message's colours but darkens the page it leaves unset showed the dark
// text on black.
// Its tables fit a phone's width: a portal's name has a row of its own,
// above its six figures, and a name breaks where it must.
func (s *summary) HTML() string {
	p := mailPage{Title: s.dayTitle(), Agency: agencyPrefix(s.agency, ""), Zone: s.loc.String(), Made: s.madeWhen(), Change: s.leadsChange(),
		File: s.day.FileName(), Empty: s.empty(), Nothing: s.nothingText("this day"), NotOver: s.notOverText(), Erased: s.erasedText(), Installed: s.installedText(), Down: s.downText(), Leads: s.leads, Sources: s.mailSources(),
		Enquiries: s.enquiriesText()}
	for _, a := range s.alarms {
		p.Alarms = append(p.Alarms, s.alarmText(a))
	}
	if s.alarmErr != "" {
		p.Alarms = append(p.Alarms, unreadableText+s.alarmErr)
	}
	for _, st := range crmStatuses {
		if n := s.crm[st]; n > 0 {
			p.CRM = append(p.CRM, count{lowerFirst(statusLabel(st, s.crmName)), n})
		}
	}
	if s.leads > 0 {
		p.AsOfCRM = s.asOfCRMText()
	}
	for _, x := range s.portalRows() { // as the Summary lists them
		p.Portals = append(p.Portals, mailPortal{mailName(x.name, x.others), x.submissions, x.failed, x.listings, x.open, x.fixed})
	}
	if s.folded() {
		p.Others = othersNote
	}
	p.OthersFailing = s.othersFailingText()
	p.Attention, p.GivenUp, p.Feeds = s.attentionTotal(), s.givenUp(), s.feedsText()
	t, err := mailHTML.Clone()
	if err != nil {
		return ""
	}
	var b strings.Builder
	if err := t.Funcs(mailFuncs(s.num)).Execute(&b, p); err != nil {
		return ""
	}
	return b.String()
}

// attentionTotal counts the rows of the Needs attention sheet that need
// someone: every kind but the operations given up by hand, which syncd
// status counts apart too.
func (s *summary) attentionTotal() int {
	n := 0
	for k, c := range s.attention {
		if k != AttentionGivenUp {
			n += c
		}
	}
	return n
}

// givenUp says how many operations were given up by hand on the day, ""
// when none: listed on the Needs attention sheet, they need nobody.
func (s *summary) givenUp() string {
	n := s.attention[AttentionGivenUp]
	if n == 0 {
		return ""
	}
	return plural(s.num, n, "operation", "operations") + " given up by hand (syncd outbox give-up)"
}
