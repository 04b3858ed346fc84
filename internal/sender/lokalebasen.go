package sender

import (
	"reflect"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// lokalebasen is Lokalebasen's push events: no delivery id (the key is the
// canonical hash), one lead type.
var lokalebasen = Spec{
	Kind:      syncd.KindLokalebasen,
	Name:      "Lokalebasen",
	Country:   "DK",
	TypeField: "event_type",
	Types:     []string{syncd.TypeEnquiryCreated},
	Leads:     []string{syncd.TypeEnquiryCreated},
	Lead:      lbLead,
	Payloads: map[string]reflect.Type{
		syncd.TypeEnquiryCreated: reflect.TypeFor[lbEnquiryCreated](),
	},
}

// lbLead reads an enquiry_created payload, walking each object once rather
// than looking every field up from the top. Its comment may be HTML.
func lbLead(body []byte) Lead {
	l := Lead{Portal: string(syncd.KindLokalebasen)}
	var locID, locKey, req string
	gjson.GetBytes(body, "payload").ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "client":
			lbClientFields(&l, v)
		case "location":
			v.ForEach(func(k, v gjson.Result) bool {
				switch k.Str {
				case "id":
					locID = ref(v)
				case "external_key":
					locKey = ref(v)
				case "href":
					l.PropertyURL = text(v)
				}
				return true
			})
		case "requested_location":
			req = text(v.Get("href"))
		case "enquiry":
			l.EnquiryType = text(v.Get("type"))
		case "comment":
			l.MessageHTML = text(v)
		}
		return true
	})
	l.Property = joinSet(" / ", locID, locKey)
	if l.Property == "" {
		l.Property = lastSegment(l.PropertyURL)
	}
	if req != "" && req != l.PropertyURL {
		l.Requested, l.RequestedURL = lastSegment(req), req
	}
	l.compose()
	return l
}

func lbClientFields(l *Lead, client gjson.Result) {
	client.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "name":
			l.Name = personName(v)
		case "email":
			l.Email = shown(v)
		case "phone":
			l.Phone = shown(v)
		case "company":
			l.Company = shown(v)
		}
		return true
	})
}

// joinSet joins the parts that are not empty.
func joinSet(sep string, parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// lastSegment is the last path segment of an address, its readable name.
func lastSegment(url string) string {
	s := strings.TrimRight(url, "/")
	if i := strings.LastIndexByte(s, '/'); i >= 0 && i < len(s)-1 {
		return s[i+1:]
	}
	return url
}

// The payload types below describe what Lokalebasen documents, for
// mapping expressions; the expr tag is the JSON field name.

type lbLocation struct {
	ID          string `expr:"id"`
	ExternalKey string `expr:"external_key"`
	Href        string `expr:"href"`
}

type lbEnquiryPayload struct {
	RequestedLocation lbLocation `expr:"requested_location"`
	Location          lbLocation `expr:"location"`
	Enquiry           lbEnquiry  `expr:"enquiry"`
	Client            lbClient   `expr:"client"`
	Comment           string     `expr:"comment"`
}

type lbEnquiry struct {
	Type string `expr:"type"` // client | extra
}

type lbClient struct {
	Email   string `expr:"email"`
	Name    string `expr:"name"`
	Company string `expr:"company"`
	Phone   string `expr:"phone"`
}

type lbEnquiryCreated struct {
	EventType string           `expr:"event_type"`
	Payload   lbEnquiryPayload `expr:"payload"`
	Syncd     Meta             `expr:"syncd"`
}
