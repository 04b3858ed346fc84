package report

import (
	"context"
	"strings"
	"time"

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

// leadRec is one lead ready to be written, owning its strings.
type leadRec struct {
	at                     time.Time
	source, status, target string
	contactID, dealID      string
	lead
}

// leadBatch is how many leads travel between the reader and the writer
// at a time.
const leadBatch = 512

// writeLeads streams the day's leads into the Leads sheet and counts them
// into sum. Reading (SQLite, JSON) and writing (XML) run on two goroutines
// joined by a short queue of batches, so a day of a million leads uses two
// cores while its memory stays a few batches deep.
func (b *book) writeLeads(ctx context.Context) error {
	sh, err := newStreamSheet(b.f, b.st, SheetLeads, leadColumns)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	full := make(chan []leadRec, 4)
	free := make(chan []leadRec, 6)
	var readErr error
	go func() {
		defer close(full) // after readErr is set: the writer reads it once full is closed
		readErr = b.readLeads(ctx, full, free)
	}()
	var writeErr error
	for batch := range full {
		for i := 0; i < len(batch) && writeErr == nil; i++ {
			if writeErr = b.writeLead(sh, &batch[i]); writeErr != nil {
				cancel()
			}
		}
		select {
		case free <- batch[:0]:
		default:
		}
	}
	if writeErr != nil {
		return writeErr
	}
	if readErr != nil {
		return readErr
	}
	return sh.close(b.st, "No leads were received on "+b.day.String()+".")
}

// readLeads reads the leads from the store, counts them and sends them on
// in batches.
func (b *book) readLeads(ctx context.Context, full, free chan []leadRec) error {
	batch := make([]leadRec, 0, leadBatch)
	send := func() error {
		select {
		case full <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case batch = <-free:
		default:
			batch = make([]leadRec, 0, leadBatch)
		}
		return nil
	}
	err := b.opts.Store.EachLead(ctx, b.from, b.to, func(r *LeadRow) error {
		l := parseLead(r.Kind, r.JSON)
		b.sum.addLead(r, l.enquiryType)
		batch = append(batch, leadRec{at: r.ReceivedAt, source: r.Source, status: string(r.Status),
			target: r.Target, contactID: r.ContactID, dealID: r.DealID, lead: l})
		if len(batch) == leadBatch {
			return send()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = send()
	}
	return err
}

func (b *book) writeLead(sh *streamSheet, r *leadRec) error {
	web := b.opts.CRMWeb[r.target]
	v := sh.vals
	v[0] = cellTime(b.st.datetime, r.at.In(b.loc))
	v[1], v[2] = r.source, r.enquiryType
	v[3], v[4], v[5], v[6] = r.name, r.email, r.phone, r.company
	v[7] = link(b.st, r.property, r.propertyURL)
	v[8] = link(b.st, r.requested, r.requestedURL)
	v[9] = text(r.message)
	v[10] = r.status
	v[11] = crmLink(b.st, web.Contact, r.contactID)
	v[12] = crmLink(b.st, web.Deal, r.dealID)
	return sh.row(v...)
}

// crmLink shows a CRM id, linked to the record when the CRM's web address
// template ("{id}" is replaced) is configured.
func crmLink(st styles, template, id string) any {
	if id == "" || template == "" {
		return id
	}
	return link(st, id, strings.ReplaceAll(template, "{id}", id))
}
