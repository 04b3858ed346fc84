package report

import (
	"cmp"
	"context"
	"strings"

	"github.com/tidwall/gjson"
	"github.com/xuri/excelize/v2"
)

// leadColumns are the Leads sheet's columns.
var leadColumns = []column{
	{Title: "Time", Min: 6, Max: 6},
	{Title: "Source", Min: 8, Max: 13},
	{Title: "Enquiry", Min: 8, Max: 9},
	{Title: "First name", Min: 8, Max: 14},
	{Title: "Last name", Min: 8, Max: 14},
	{Title: "Email", Min: 12, Max: 34},
	{Title: "Phone", Min: 8, Max: 16},
	{Title: "Company", Min: 8, Max: 16},
	{Title: "Property", Min: 10, Max: 20},
	{Title: "Asked about", Min: 10, Max: 18},
	{Title: "Message", Min: 20, Max: 100},
	{Title: "CRM", Min: 10, Max: 30},
	{Title: "Lead", Min: 6, Max: 9},
	{Title: "Contact", Min: 9, Max: 16},
	{Title: "Deal", Min: 9, Max: 16},
}

// leadIDColumn is the Leads sheet's column of lead (event) ids, which the
// Needs attention sheet's links look up.
const leadIDColumn = "M"

// leadPrintedCols is how many of the Leads sheet's columns print: the
// links into the CRM, the last two, are no use on paper.
const leadPrintedCols = 13

// lead is the part of a lead's payload the report shows.
type lead struct {
	source                                string // the portal a person knows
	enquiryType                           string // Lokalebasen's direct or extra
	first, last, email, phone, company    string
	property, propertyURL                 string
	requested, requestedURL, message, htm string
}

// parseLead extracts a lead's fields from its JSON, by sender.
func parseLead(kind string, js []byte) lead {
	if kind == "lokalebasen" {
		l := parseEnquiry(gjson.GetBytes(js, "payload"))
		l.source = portalLabel(kind)
		return l
	}
	return parseEmailLead(js)
}

// parseEnquiry reads a Lokalebasen enquiry_created payload, walking each
// object once rather than looking every field up from the top. Its comment
// may be HTML.
func parseEnquiry(p gjson.Result) lead {
	var l lead
	var locID, locKey, req string
	p.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "client":
			v.ForEach(func(k, v gjson.Result) bool {
				switch k.Str {
				case "name":
					l.first = v.String()
				case "email":
					l.email = v.String()
				case "phone":
					l.phone = v.String()
				case "company":
					l.company = v.String()
				}
				return true
			})
		case "location":
			v.ForEach(func(k, v gjson.Result) bool {
				switch k.Str {
				case "id":
					locID = v.String()
				case "external_key":
					locKey = v.String()
				case "href":
					l.propertyURL = v.String()
				}
				return true
			})
		case "requested_location":
			req = v.Get("href").String()
		case "enquiry":
			l.enquiryType = v.Get("type").String()
		case "comment":
			l.htm = v.String()
		}
		return true
	})
	l.property = join(" / ", locID, locKey)
	if l.property == "" {
		l.property = lastSegment(l.propertyURL)
	}
	if req != "" && req != l.propertyURL {
		l.requested, l.requestedURL = lastSegment(req), req
	}
	return l
}

// parseEmailLead reads an Estate Agent Feeds email_lead: its message both
// as HTML (with its line breaks) and flattened.
func parseEmailLead(js []byte) lead {
	r := gjson.GetManyBytes(js, "email_source", "contact_name", "contact_email", "contact_phone",
		"contact_message_flat", "eaf_reference", "eaf_portal_reference", "eaf_development_reference",
		"contact_message_html")
	l := lead{
		source:   portalLabel(r[0].String()),
		first:    r[1].String(),
		email:    r[2].String(),
		phone:    r[3].String(),
		message:  r[4].String(),
		htm:      r[8].String(),
		property: cmp.Or(r[5].String(), r[6].String()), // the portal's reference repeats the agency's
	}
	if dev := r[7].String(); dev != "" {
		l.property = join(" / ", l.property, "development "+dev)
	}
	return l
}

// sent overwrites the contact's fields with the values syncd sent to the
// CRM (props, the contact operation's properties), where it sent them:
// the cleaned email, the phone in E.164, the name split in two.
func (l *lead) sent(props []byte) {
	if len(props) == 0 {
		return
	}
	g := gjson.GetManyBytes(props, "email", "phone", "firstname", "first_name", "lastname", "last_name", "name", "company")
	l.email = cmp.Or(g[0].String(), l.email)
	l.phone = cmp.Or(g[1].String(), l.phone)
	first, last := cmp.Or(g[2].String(), g[3].String()), cmp.Or(g[4].String(), g[5].String())
	if first != "" || last != "" {
		l.first, l.last = first, last
	} else if g[6].String() != "" {
		l.first, l.last = g[6].String(), ""
	}
	l.company = cmp.Or(g[7].String(), l.company)
}

// messageText is the lead's message as text with its line breaks: the
// HTML variant turned into text when there is one and htmlText is set,
// else the flattened one.
// Paragraphs are kept apart by a line break, not an empty line: a busy
// day's messages then print on a page or two fewer.
func (l *lead) messageText(htmlText func(string) string) string {
	m := cmp.Or(l.message, l.htm)
	if l.htm != "" && htmlText != nil {
		m = htmlText(l.htm)
	}
	for strings.Contains(m, "\n\n") {
		m = strings.ReplaceAll(m, "\n\n", "\n")
	}
	return m
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

// lastSegment is the last path segment of an address, its readable name.
func lastSegment(url string) string {
	s := strings.TrimRight(url, "/")
	if i := strings.LastIndexByte(s, '/'); i >= 0 && i < len(s)-1 {
		return s[i+1:]
	}
	return url
}

// readLeads reads the day's leads, counts them into the summary and emits
// their rows for the Leads sheet.
func (b *book) readLeads(ctx context.Context, emit func(row ...any) error) error {
	return b.opts.Store.EachLead(ctx, b.from, b.to, func(r *LeadRow) error {
		l := parseLead(r.Kind, r.JSON)
		l.sent(r.Contact)
		b.sum.addLead(r, l.source, l.enquiryType)
		web, crm := b.opts.CRMWeb[r.Target], crmLabel(r.Target)
		status := b.crmStatus(r, crm)
		return emit(
			cellTime(b.st.clock, r.ReceivedAt.In(b.loc)),
			l.source, l.enquiryType,
			l.first, l.last, l.email, l.phone, l.company,
			link(b.st, l.property, l.propertyURL),
			link(b.st, l.requested, l.requestedURL),
			text(l.messageText(b.opts.HTMLText)),
			status,
			r.EventID,
			crmLink(b.st, crm, web.Contact, r.ContactID),
			crmLink(b.st, crm, web.Deal, r.DealID),
		)
	})
}

// crmStatus is a lead's CRM status, with the reason on the next line and
// highlighted when the lead is not in the CRM.
func (b *book) crmStatus(r *LeadRow, crm string) any {
	label := statusLabel(r.Status, crm)
	switch r.Status {
	case CRMDead:
		return excelize.Cell{StyleID: b.st.bad, Value: text(join("\n", label, r.OpError))}
	case CRMUnmappable:
		return excelize.Cell{StyleID: b.st.bad, Value: text(join("\n", label, r.MapError))}
	case CRMPending, CRMNotMapped:
		return excelize.Cell{StyleID: b.st.warn, Value: text(join("\n", label, r.OpError))}
	}
	return label
}

// crmLink links a CRM record, "Open in HubSpot", when the CRM's web
// address template ("{id}" is replaced) is configured; else it shows the id.
func crmLink(st styles, crm, template, id string) any {
	if id == "" || template == "" {
		return id
	}
	return link(st, "Open in "+crm, strings.ReplaceAll(template, "{id}", id))
}
