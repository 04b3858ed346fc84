package sender

import (
	"cmp"
	"reflect"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// eaf is Estate Agent Feeds' webhooks: each delivery carries eaf_id.
var eaf = Spec{
	Kind:        syncd.KindEAF,
	Name:        "Estate Agent Feeds",
	Country:     "GB",
	TypeField:   "eaf_type",
	IDField:     "eaf_id",
	Types:       []string{syncd.TypeEmailLead, syncd.TypePortalSubmission, syncd.TypeFeedImport},
	Leads:       []string{syncd.TypeEmailLead},
	Submissions: []string{syncd.TypePortalSubmission},
	Imports:     []string{syncd.TypeFeedImport},
	Portals: map[string]string{ // eaf_target and email_source
		"rightmove":     "Rightmove",
		"zoopla":        "Zoopla",
		"onthemarket":   "OnTheMarket",
		"primelocation": "PrimeLocation",
	},
	Lead:       eafLead,
	Submission: eafSubmission,
	Import:     eafImport,
	Payloads: map[string]reflect.Type{
		syncd.TypeEmailLead:        reflect.TypeFor[eafEmailLead](),
		syncd.TypePortalSubmission: reflect.TypeFor[eafPortalSubmission](),
		syncd.TypeFeedImport:       reflect.TypeFor[eafFeedImport](),
	},
}

// eafLead reads an email_lead: its message both as HTML (with its line
// breaks) and flattened. It walks the body's members once: a day of a
// million leads reads a million bodies, and a lookup per field walked each
// body nine times. A lead without email_source is the sender's own, as a
// Lokalebasen lead is Lokalebasen's. Decode leaves one copy of a member given twice in the
// payload it reads; of a body stored before it did, the first value that is
// not empty counts.
func eafLead(body []byte) Lead {
	var l Lead
	var agencyRef, portalRef, dev string
	gjson.ParseBytes(body).ForEach(func(k, v gjson.Result) bool {
		var dst *string
		read := text
		switch k.Str {
		case "email_source":
			dst = &l.Portal
		case "contact_name":
			dst, read = &l.Name, personName
		case "contact_email":
			dst, read = &l.Email, shown
		case "contact_phone":
			dst, read = &l.Phone, shown
		case "contact_message_flat":
			dst = &l.Message
		case "contact_message_html":
			dst = &l.MessageHTML
		case "eaf_reference":
			dst, read = &agencyRef, ref
		case "eaf_portal_reference":
			dst, read = &portalRef, ref
		case "eaf_development_reference":
			dst, read = &dev, ref
		}
		if dst != nil && *dst == "" {
			*dst = read(v)
		}
		return true
	})
	if strings.TrimSpace(l.Portal) == "" { // no email_source: the sender's, not "(unknown)"
		l.Portal = string(syncd.KindEAF)
	}
	l.Property = cmp.Or(agencyRef, portalRef) // the portal's reference repeats the agency's
	if dev != "" {
		l.Property = joinSet(" / ", l.Property, "development "+dev)
	}
	l.compose()
	return l
}

// eafSubmission reads a portal_submission.
func eafSubmission(body []byte) Submission {
	g := gjson.GetManyBytes(body, "eaf_status", "eaf_target", "eaf_reference", "eaf_portal_reference",
		"eaf_action", "eaf_remote_url", "eaf_date", "eaf_timestamp", "eaf_errors")
	s := Submission{OK: g[0].String() == "success", Portal: text(g[1]), Ref: ref(g[2]),
		PortalRef: ref(g[3]), Action: text(g[4]), URL: text(g[5]), At: eafTime(g[6].String(), g[7].Int())}
	if s.Ref == "" { // the portal reference is the property reference, "_EAF_" and the branch
		s.Ref, _, _ = strings.Cut(s.PortalRef, "_EAF_")
	}
	for _, e := range g[8].Array() {
		s.Errors = append(s.Errors, SubmissionError{Code: ref(e.Get("eaf_code")), Message: text(e.Get("eaf_message"))})
	}
	return s
}

// eafImport reads a feed_import.
func eafImport(body []byte) Import {
	g := gjson.GetManyBytes(body, "eaf_agent_name", "eaf_format", "eaf_records_modified", "eaf_source",
		"eaf_date", "eaf_timestamp")
	records, bad := count(g[2])
	return Import{Agent: text(g[0]), Format: text(g[1]), Records: records, RecordsBad: bad, Feed: text(g[3]),
		At: eafTime(g[4].String(), g[5].Int())}
}

// eafTime is when the sender says an event happened: eaf_date, else
// eaf_timestamp; zero when neither is there, or when eaf_timestamp is past
// the year 9999 (milliseconds sent for seconds, or digits no clock gives),
// which the report showed as such a date ("292277026596-12-04T17:20:27")
// and could not see fixed by a later success.
func eafTime(date string, unix int64) time.Time {
	if t, ok := ParseTime(date); ok {
		return t
	}
	if unix > 0 && unix <= maxUnix {
		return time.Unix(unix, 0)
	}
	return time.Time{}
}

// maxUnix is the last second of the year 9999, the last a workbook's dates
// hold.
const maxUnix = 253402300799

// The payload types below describe what Estate Agent Feeds documents, for
// mapping expressions; the expr tag is the JSON field name.

type eafEmailLead struct {
	EAFType                 string `expr:"eaf_type"`
	EAFID                   string `expr:"eaf_id"`
	ID                      string `expr:"id"`
	EmailSource             string `expr:"email_source"`
	EmailDateTime           string `expr:"email_date_time"`
	ContactName             string `expr:"contact_name"`
	ContactEmail            string `expr:"contact_email"`
	ContactPhone            string `expr:"contact_phone"`
	ContactMessageHTML      string `expr:"contact_message_html"`
	ContactMessageFlat      string `expr:"contact_message_flat"`
	EAFReference            string `expr:"eaf_reference"`
	EAFPortalReference      string `expr:"eaf_portal_reference"`
	EAFDevelopmentReference string `expr:"eaf_development_reference"`
	EAFDate                 string `expr:"eaf_date"`
	EAFTimestamp            int64  `expr:"eaf_timestamp"`
	Syncd                   Meta   `expr:"syncd"`
}

type eafError struct {
	Code    string `expr:"eaf_code"`
	Message string `expr:"eaf_message"`
}

type eafPortalSubmission struct {
	EAFType            string     `expr:"eaf_type"`
	EAFStatus          string     `expr:"eaf_status"` // success | error
	EAFAction          string     `expr:"eaf_action"` // create | update | delete
	EAFTarget          string     `expr:"eaf_target"` // rightmove | zoopla | onthemarket
	EAFID              string     `expr:"eaf_id"`
	EAFDate            string     `expr:"eaf_date"`
	EAFTimestamp       int64      `expr:"eaf_timestamp"`
	EAFReference       string     `expr:"eaf_reference"`
	EAFPortalReference string     `expr:"eaf_portal_reference"`
	EAFRemoteURL       string     `expr:"eaf_remote_url"`
	EAFErrors          []eafError `expr:"eaf_errors"`
	Syncd              Meta       `expr:"syncd"`
}

type eafFeedImport struct {
	EAFType            string `expr:"eaf_type"`
	EAFFormat          string `expr:"eaf_format"`
	EAFID              string `expr:"eaf_id"`
	EAFAgentID         string `expr:"eaf_agent_id"`
	EAFAgentName       string `expr:"eaf_agent_name"`
	EAFAgentEmail      string `expr:"eaf_agent_email"`
	EAFRecordsModified int64  `expr:"eaf_records_modified"`
	EAFSource          string `expr:"eaf_source"`
	EAFDate            string `expr:"eaf_date"`
	EAFTimestamp       int64  `expr:"eaf_timestamp"`
	Syncd              Meta   `expr:"syncd"`
}
