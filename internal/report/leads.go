package report

import (
	"context"
	"strings"

	"github.com/tidwall/gjson"
)

// leadColumns are the Leads sheet's columns.
var leadColumns = []column{
	{Title: "Received at", Width: 19},
	{Title: "Source", Width: 14},
	{Title: "Enquiry type", Width: 13},
	{Title: "Name", Width: 22},
	{Title: "Email", Width: 28},
	{Title: "Phone", Width: 16},
	{Title: "Company", Width: 20},
	{Title: "Property", Width: 26},
	{Title: "Requested property", Width: 26},
	{Title: "Message", Width: 50, Wrap: true},
	{Title: "CRM status", Width: 12},
	{Title: "CRM contact", Width: 14},
	{Title: "CRM deal", Width: 14},
}

// lead is the part of a lead's payload the report shows.
type lead struct {
	enquiryType                      string // direct/extra, or the portal of an email lead
	name, email, phone, company      string
	property, propertyURL            string
	requested, requestedURL, message string
}

// parseLead extracts a lead's fields from its JSON, by sender.
func parseLead(kind string, js []byte) lead {
	if kind == "lokalebasen" {
		return parseEnquiry(gjson.GetBytes(js, "payload"))
	}
	return parseEmailLead(js)
}

// parseEnquiry reads a Lokalebasen enquiry_created payload, walking each
// object once rather than looking every field up from the top.
func parseEnquiry(p gjson.Result) lead {
	var l lead
	var locID, locKey, req string
	p.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "client":
			v.ForEach(func(k, v gjson.Result) bool {
				switch k.Str {
				case "name":
					l.name = v.String()
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
			l.message = v.String()
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

// parseEmailLead reads an Estate Agent Feeds email_lead.
func parseEmailLead(js []byte) lead {
	r := gjson.GetManyBytes(js, "email_source", "contact_name", "contact_email", "contact_phone",
		"contact_message_flat", "eaf_reference", "eaf_portal_reference", "eaf_development_reference")
	l := lead{
		enquiryType: r[0].String(),
		name:        r[1].String(),
		email:       r[2].String(),
		phone:       r[3].String(),
		message:     r[4].String(),
		property:    join(" / ", r[5].String(), r[6].String()),
	}
	if dev := r[7].String(); dev != "" {
		l.property = join(" / ", l.property, "development "+dev)
	}
	return l
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
		b.sum.addLead(r, l.enquiryType)
		web := b.opts.CRMWeb[r.Target]
		return emit(
			cellTime(b.st.datetime, r.ReceivedAt.In(b.loc)),
			r.Source,
			l.enquiryType,
			l.name, l.email, l.phone, l.company,
			link(b.st, l.property, l.propertyURL),
			link(b.st, l.requested, l.requestedURL),
			text(l.message),
			string(r.Status),
			crmLink(b.st, web.Contact, r.ContactID),
			crmLink(b.st, web.Deal, r.DealID),
		)
	})
}

// crmLink shows a CRM id, linked to the record when the CRM's web address
// template ("{id}" is replaced) is configured.
func crmLink(st styles, template, id string) any {
	if id == "" || template == "" {
		return id
	}
	return link(st, id, strings.ReplaceAll(template, "{id}", id))
}
