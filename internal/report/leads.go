package report

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/crm/dryrun"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// leadColumns are the Leads sheet's columns. Their maximum widths add up
// to what prints one page wide at four fifths of its size (printSetup),
// but for the property and the property asked about: a slug, which a
// reader copies whole (Lokalebasen's own "dampfaergevej-10559", "20064 /
// EJ-593915GV"), shows on one line up to 19 wide (at 9, it wrapped
// at its hyphens), and the message column gives up what they take past
// the page (shrink), to 13 wide at least: with every other column at its
// widest, on a day the clocks change too, the page still prints at 80%.
// Past 19 a slug ("hc-andersens-boulevard-10395"), and past 13 a portal's
// name syncd does not know ("Rightmove_commercial"), still shows whole, up
// to 30 and 24, as long as the page has room: they give it back, down to
// 19 and 13 (Keep), only once the message is 13 wide (at 19 and 13 they
// wrapped at a hyphen or mid-word, "hc-andersens-\nboulevard-10395"). So
// does a company's longest word, up to 20 (Word), which wrapped mid-word
// past 12 ("Ejendomsadmin" over "istration"), and a first or last name's,
// which wrapped past 10 ("Christofferse" over "n"). A phone as the
// sender wrote it, on a lead not sent to the CRM ("+44(0)20 3870 4550"),
// shows whole up to 20 and gives it back down to 14 likewise (at 14 it
// printed "+44(0)20 3870" over "4550", read as two numbers). The
// message column also takes what the others leave of it (stretch), and
// so does the CRM status, in proportion to what each lacks (Grow): on a
// day the CRM was down, each lead's reason ("crm NETWORK: contacts_create:
// Post: dial tcp ...: i/o timeout") wrapped to five lines of 16 beside a
// message on one, and a page held a third of the leads it could. The
// others fit most of their values on one line, an email address whole.
var leadColumns = []column{
	{Title: "Time", Min: 6, Max: 6},
	{Title: "Source", Min: 8, Max: 24, Keep: 13},
	{Title: "Enquiry", Min: 6, Max: 8},
	{Title: "First name", Min: 6, Max: 10, Word: 20, Keep: 10},
	{Title: "Last name", Min: 6, Max: 10, Word: 20, Keep: 10},
	{Title: "Email", Min: 12, Max: 36},
	{Title: "Phone", Min: 8, Max: 20, Keep: 14},
	{Title: "Company", Min: 8, Max: 12, Word: 20, Keep: 12},
	{Title: "Property", Min: 8, Max: 30, Keep: 19},
	{Title: "Asked about", Min: 6, Max: 30, Keep: 19},
	{Title: "Message", Min: 13, Max: 40, Stretch: true, WholeIn: "Whole message"},
	{Title: "CRM", Min: 10, Max: 16, Grow: true},
	{Title: "Lead", Min: 10, Max: 10}, // 9 digits, whatever the rows fitted hold; it does not print
	{Title: "Contact", Min: 9, Max: 16},
	{Title: "Deal", Min: 9, Max: 16},
	{Title: "Received", Min: 17, Max: 22},      // the date and time (Time has hh:mm alone), for a week pasted together; it does not print
	{Title: "CRM status", Min: 10, Max: 34},    // the CRM's status alone, to filter and pivot by; it does not print
	{Title: "Whole message", Min: 40, Max: 40}, // a message cut to its row (clip), whole; it does not print
}

// zonedLeadColumns are the Leads sheet's columns on a day the clocks
// change: the time, which then names its zone (02:30 CEST), takes the
// width it needs from the message, and the page stays as wide.
func zonedLeadColumns() []column {
	const zone = 7 // " CEST" and an indent apart from the source
	cols := slices.Clone(leadColumns)
	for i := range cols {
		switch cols[i].Title {
		case "Time":
			cols[i].Max += zone
		case "Message":
			cols[i].Max -= zone
		}
	}
	return cols
}

// leadIDColumn is the Leads sheet's column of lead (event) ids, which the
// Needs attention sheet's links look up.
const leadIDColumn = "M"

// leadPrintedCols is how many of the Leads sheet's columns print: the
// lead's number, which the Needs attention sheet's links look up, and the
// links into the CRM are no use on paper, and a message too long for its
// row is printed cut already (Whole message, the last).
const leadPrintedCols = 12

// lead is the part of a lead's payload the report shows.
type lead struct {
	source                                string // the portal a person knows
	enquiryType                           string // Lokalebasen's direct or extra
	first, last, email, phone, company    string
	name                                  string // the whole name, when not sent split in two
	property, propertyURL                 string
	requested, requestedURL, message, htm string
}

// parseLead extracts a lead's fields from its JSON, as its sender's
// description reads them.
func parseLead(kind string, js []byte) lead {
	var f sender.Lead
	if s := sender.For(syncd.Kind(kind)); s != nil && s.Lead != nil {
		f = s.Lead(js)
	}
	return lead{
		source: portalLabel(f.Portal), enquiryType: f.EnquiryType,
		name: f.Name, email: f.Email, phone: f.Phone, company: f.Company,
		property: f.Property, propertyURL: f.PropertyURL, requested: f.Requested, requestedURL: f.RequestedURL,
		message: f.Message, htm: f.MessageHTML,
	}
}

// sent overwrites the contact's fields with the values syncd sent to the
// CRM (props, the contact operation's properties), where it sent them:
// the cleaned email, the phone in E.164 (shown spaced: readable), the
// name split in two. It reads
// props in one pass: a day of a million leads reads a million of them.
func (l *lead) sent(props []byte) {
	if len(props) <= 2 { // nothing, or {}
		return
	}
	var email, phone, first, first2, last, last2, name, company string
	gjson.ParseBytes(props).ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "email":
			email = v.String()
		case "phone":
			phone = v.String()
		case "firstname":
			first = v.String()
		case "first_name":
			first2 = v.String()
		case "lastname":
			last = v.String()
		case "last_name":
			last2 = v.String()
		case "name":
			name = v.String()
		case "company":
			company = v.String()
		}
		return true
	})
	first, last = cmp.Or(first, first2), cmp.Or(last, last2)
	l.email, l.phone, l.company = cmp.Or(readableEmail(email), l.email), cmp.Or(phone, l.phone), cmp.Or(company, l.company)
	if first != "" || last != "" {
		l.first, l.last, l.name = first, last, ""
	} else if name != "" {
		l.name = name
	}
}

// names fills the first and last name from the whole name, unless they
// were sent split: as the mappings split it (split, internal/mapping's
// SplitName), so that a lead syncd sent nothing of (incomplete, not
// processed yet) or whose CRM takes a whole name shows as the others do;
// without split, the whole name is the first name.
func (l *lead) names(split func(full string) (first, last string)) {
	switch {
	case l.name == "":
	case split != nil:
		l.first, l.last = split(l.name)
	default:
		l.first = l.name
	}
}

// readable shows the phone as phone (Options.Phone) gives it for a
// sender of kind, where it gives one: a returning client's lead showed
// "+4552250559" as sent to the CRM, a lead waiting to be sent "52 25 05
// 59" as written, on one sheet.
func (l *lead) readable(kind string, phone func(kind, phone string) string) {
	if phone == nil || l.phone == "" {
		return
	}
	if p := phone(kind, l.phone); p != "" {
		l.phone = p
	}
}

// oneLine makes the fields a cell shows on one line what a line of the
// mail shows of a sender's text (syncd.OneLine), without blanks at either
// end: a line break a sender put in an email ("nl@example.com" over "Bcc:
// x@evil.example") or before a phone showed as two lines, read as the
// field and a note; the Summary's list of a few leads, which wrote them as
// sent, showed a name's right-to-left override turning it around.
func (l *lead) oneLine() {
	for _, f := range []*string{&l.source, &l.enquiryType, &l.first, &l.last, &l.email, &l.phone, &l.company, &l.property, &l.requested} {
		*f = strings.TrimSpace(syncd.OneLine(*f))
	}
}

// messageText is the lead's message as text with its line breaks: the
// HTML variant turned into text when there is one and htmlText is set,
// else the flattened one, read by htmlText too, as the shipped mappings
// send it (a plain forward's "> " marks taken out). Paragraphs are kept apart by one empty line,
// however many the client typed (or a line of blanks), as the CRM's text
// has them (internal/mapping's HTMLText); none is kept before or after
// the text. Without it (a line break alone, to print a page or two fewer
// on a busy day) a paragraph wrapped in the narrow column ran into the
// next, and a message copied into a reply lost its paragraphs.
func (l *lead) messageText(htmlText func(string) string) string {
	m := cmp.Or(l.message, l.htm)
	if htmlText != nil && m != "" {
		m = htmlText(cmp.Or(l.htm, l.message))
	}
	if !strings.Contains(m, "\n") {
		return m
	}
	var b strings.Builder
	b.Grow(len(m))
	apart := false // an empty line was met since the last line written
	for line := range strings.SplitSeq(m, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			apart = b.Len() > 0
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if apart {
				b.WriteByte('\n')
			}
		}
		apart = false
		b.WriteString(line)
	}
	return b.String()
}

func join(sep string, parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}

// readLeads reads the day's leads, counts them into the summary and emits
// their rows for the Leads sheet.
func (b *book) readLeads(ctx context.Context, emit func(row ...any) error) error {
	return b.opts.Store.EachLead(ctx, b.from, b.to, b.opts.CRM, func(r *LeadRow) error {
		if r.Target == dryrun.Name && r.Status == CRMSynced { // its ids are the dry run's own, of no CRM record
			r.Status, r.ContactID, r.DealID = CRMDryRun, "", ""
		}
		l := parseLead(r.Kind, r.JSON)
		l.sent(r.Contact)
		l.names(b.opts.SplitName)
		l.readable(r.Kind, b.opts.Phone)
		b.sum.addLead(r, l.source, l.enquiryType)
		l.oneLine()
		web, crm := b.opts.CRMWeb[r.Target], crmLabel(r.Target)
		status, reason := b.crmStatus(r, crm)
		crmCell := crmJoined(status, reason)
		if len(b.sum.few) < fewLeads {
			contact := ""
			if web.Contact != "" && r.ContactID != "" {
				contact = strings.ReplaceAll(web.Contact, "{id}", r.ContactID)
			}
			b.sum.few = append(b.sum.few, leadLine{at: r.ReceivedAt, name: join(", ", join(" ", l.first, l.last), l.company),
				source: join("\n", l.source, l.enquiryType), email: l.email, phone: l.phone,
				property: join("\n", l.property, l.requested), message: text(syncd.Lines(l.messageText(b.opts.HTMLText))),
				crm: crmCell, contactURL: contact})
		}
		return emit(
			b.dayTime(r.ReceivedAt),
			orNil(l.source), orNil(l.enquiryType),
			orNil(l.first), orNil(l.last), orNil(l.email), orNil(l.phone), orNil(l.company),
			link(b.st, l.property, l.propertyURL),
			link(b.st, l.requested, l.requestedURL),
			orNil(text(l.messageText(b.opts.HTMLText))),
			crmCell,
			r.EventID,
			crmLink(b.st, crm, web.Contact, r.ContactID),
			crmLink(b.st, crm, web.Deal, liveDeal(r)),
			b.fullTime(r.ReceivedAt),
			status,
			nil, // Whole message: set when the message is cut (streamSheet.data)
		)
	})
}

// orNil is s, or nil for no cell at all when s is empty: an empty cell
// still costs its XML, and a day of a million leads has millions of them.
func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// crmStatus is a lead's CRM status and the reason beside it, both
// highlighted when the lead is not in the CRM, or reached it (or waits to,
// or the dry run took it) without a field the mapping left out (its note
// in MapError, which Needs attention lists too): beside the email the
// sender sent, "Sent to HubSpot" alone read as if the CRM had it whole, and
// the dry run, where an agency judges what would be sent, said nothing of
// it. The status is one of a few words alone, the reason nil for none:
// the CRM column shows both (crmJoined), the CRM status column the status
// alone. With only "Not sent: dead" over each lead's own error, a filter
// or a pivot table by status listed as many statuses as there were errors.
func (b *book) crmStatus(r *LeadRow, crm string) (status, reason any) {
	label := statusLabel(r.Status, crm)
	both := func(style int, status, reason string) (any, any) {
		if reason = text(reason); reason == "" {
			return excelize.Cell{StyleID: style, Value: status}, nil
		}
		return excelize.Cell{StyleID: style, Value: status}, excelize.Cell{StyleID: style, Value: reason}
	}
	if r.MapError != "" && (r.Status == CRMSynced || r.Status == CRMPending || r.Status == CRMDryRun) {
		return both(b.st.warn, label+": field left out", join("\n", b.leftOut(r.MapError, r.Kind), r.OpError))
	}
	switch r.Status {
	case CRMDead, CRMGivenUp:
		return both(b.st.bad, label, r.OpError)
	case CRMUnmappable:
		if mappingFault(r.MapError) {
			return both(b.st.bad, label, mappingFaultNote)
		}
		return both(b.st.bad, label, b.leftOut(r.MapError, r.Kind))
	case CRMPending, CRMNotMapped:
		return both(b.st.warn, label, r.OpError)
	case CRMDeletedInCRM:
		return both(b.st.wrap, label, deletedNote(r.DealID, crm))
	}
	return label, nil
}

// mappingFaultNote is the reason the Leads sheet gives a lead a mapping
// could not be applied to (mappingFault), short: the whole reason, the
// mapping file, line and column of the part that failed, is for whoever
// runs syncd, on Needs attention, which links the lead. In the CRM column,
// 16 wide, "contact.jobtitle (mappings/hubspot/lokalebasen.yaml:14): its
// expression failed for this lead: index out of range: 1 (array length is
// 1) (at column 23)" wrapped to 17 lines, a row of 242 points, a third of
// an A4 page, for a lead whose manager can only pass it on.
const mappingFaultNote = "mapping failed: see Needs attention"

// mappingFault reports whether a lead's mapping note (its map_error) says
// that a part of a mapping file failed for it, naming the part and its
// place, `rule "r": contact.jobtitle (lb.yaml:8): its expression failed
// for this lead: …` (internal/mapping's valueError): what the operator
// fixes in the files, not a field the sender left out.
func mappingFault(note string) bool {
	return mappingPlace.MatchString(leftOut(note))
}

// mappingPlace is the start of a note naming a place in a mapping file:
// the part (when, contact.email) and the file and line, in brackets.
var mappingPlace = regexp.MustCompile(`^[\w.-]+ \([^()\n]+\.ya?ml:\d+\): `)

// crmJoined is a lead's CRM status with its reason on the next line, in
// the status's style, as the Leads sheet's CRM column and the Summary's
// list of a day's few leads print them: a column of its own for the reason
// took 8 or more of the message's width, and the sample's busy day printed
// on 20 pages, not 13.
func crmJoined(status, reason any) any {
	r, ok := reason.(excelize.Cell)
	if !ok {
		return status
	}
	st := status.(excelize.Cell)
	st.Value = text(st.Value.(string) + "\n" + r.Value.(string))
	return st
}

// deletedNote says what became of a lead's deal deleted in the CRM: syncd
// found it so when it wrote the lead again, and left it so.
func deletedNote(id, crm string) string {
	return fmt.Sprintf("its deal (id %s) was deleted in %s after syncd wrote it; syncd left it so "+
		"(restore it in %s if that was a mistake)", id, crm, crm)
}

// crmNumber is a CRM id of digits alone (HubSpot's, Pipedrive's) as a
// number, when a spreadsheet holds it exactly (15 digits or fewer, no
// leading zero): as text, Excel marked every such cell "number stored as
// text" (a green triangle), and a lookup against a CRM export, whose ids
// are numbers, found none.
func crmNumber(id string) (int64, bool) {
	if id == "" || len(id) > 15 || (id[0] == '0' && len(id) > 1) {
		return 0, false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n >= 0 && strconv.FormatInt(n, 10) == id
}

// liveDeal is the CRM id of r's deal, "" when it was found deleted in the
// CRM: its link would open nothing, and the status names the id it had.
func liveDeal(r *LeadRow) string {
	if r.Status == CRMDeletedInCRM {
		return ""
	}
	return r.DealID
}

// crmLink links a CRM record, "Open in HubSpot", when the CRM's web
// address template ("{id}" is replaced) is configured; else it shows the
// id: as a number when it is one (crmNumber), else as text.
func crmLink(st styles, crm, template, id string) any {
	if id == "" || template == "" {
		if n, ok := crmNumber(id); ok {
			return excelize.Cell{StyleID: st.wholeNumber, Value: n}
		}
		return orNil(id)
	}
	return link(st, "Open in "+crm, strings.ReplaceAll(template, "{id}", id))
}
