package mapping

import (
	"reflect"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/tidwall/gjson"
)

// The payload types below describe what each sender documents (see
// docs/senders). They are the environment expressions are type-checked
// against, so a misspelt field is an error at load time, not an empty CRM
// property at run time. The expr tag is the JSON field name.

// Meta is what syncd knows about an event besides its payload, available to
// expressions as `syncd`.
type Meta struct {
	ID         int64  `expr:"id"`
	Source     string `expr:"source"`      // configured source name
	Kind       string `expr:"kind"`        // lokalebasen | eaf
	Type       string `expr:"type"`        // event type
	Key        string `expr:"key"`         // idempotency key
	LeadID     string `expr:"lead_id"`     // stable lead id: the deal's identity
	ReceivedAt string `expr:"received_at"` // RFC 3339, UTC
}

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

// schemaKey names an event type of a sender kind.
type schemaKey struct {
	kind syncd.Kind
	typ  string
}

// payloadTypes maps each documented event type to its payload type. Event
// types not listed here can still have rules; their fields are not checked.
var payloadTypes = map[schemaKey]reflect.Type{
	{syncd.KindLokalebasen, syncd.TypeEnquiryCreated}: reflect.TypeFor[lbEnquiryCreated](),
	{syncd.KindEAF, syncd.TypeEmailLead}:              reflect.TypeFor[eafEmailLead](),
	{syncd.KindEAF, syncd.TypePortalSubmission}:       reflect.TypeFor[eafPortalSubmission](),
	{syncd.KindEAF, syncd.TypeFeedImport}:             reflect.TypeFor[eafFeedImport](),
}

// metaField is the name of the Meta field in every environment.
const metaField = "syncd"

// tagName is the JSON/expr name of a struct field.
func tagName(f reflect.StructField) string {
	return f.Tag.Get("expr")
}

// fieldMaps indexes the fields of every payload struct type by tag, so
// that filling a payload does not parse struct tags. Built once at start,
// read-only after.
var fieldMaps = func() map[reflect.Type]map[string]reflect.StructField {
	out := map[reflect.Type]map[string]reflect.StructField{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || out[t] != nil {
			return
		}
		m := map[string]reflect.StructField{}
		out[t] = m
		for i := range t.NumField() {
			f := t.Field(i)
			m[tagName(f)] = f
			walk(f.Type)
		}
	}
	for _, t := range payloadTypes {
		walk(t)
	}
	return out
}()

// fieldByTag finds the field of struct type t named name.
func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	if m, ok := fieldMaps[t]; ok {
		f, ok := m[name]
		return f, ok
	}
	for i := range t.NumField() {
		if f := t.Field(i); tagName(f) == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// checkPath reports why path is not a path into payloads of type t (nil t:
// any payload), or "" when it is fine. Paths are dot-separated field names
// with optional array indexes or "#" (all elements / the count), a subset of
// gjson's syntax that can be checked.
func checkPath(path string, t reflect.Type) string {
	if path == "" {
		return "empty path"
	}
	segs := strings.Split(path, ".")
	for i, s := range segs {
		if !validSegment(s) {
			return "bad path segment " + quote(s)
		}
		if t == nil {
			continue
		}
		switch t.Kind() {
		case reflect.Slice:
			if s != "#" && !isDigits(s) {
				return quote(strings.Join(segs[:i], ".")) + " is a list: use an index or #"
			}
			t = t.Elem()
		case reflect.Struct:
			f, ok := fieldByTag(t, s)
			if !ok || (i == 0 && s == metaField) {
				return "unknown field " + quote(strings.Join(segs[:i+1], "."))
			}
			t = f.Type
		default:
			return quote(strings.Join(segs[:i], ".")) + " has no fields"
		}
	}
	if t != nil && t.Kind() == reflect.Struct {
		return quote(path) + " is an object, not a value"
	}
	return ""
}

func validSegment(s string) bool {
	if s == "" {
		return false
	}
	if s == "#" {
		return true
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func quote(s string) string { return `"` + s + `"` }

// fill sets v (a settable struct, slice or leaf) from the JSON value r,
// leniently: a number where a string is documented becomes its text, a
// string holding a number becomes the number, null and absent fields stay
// zero. Senders drift; one odd field must not make a lead unmappable.
func fill(v reflect.Value, r gjson.Result) {
	switch v.Kind() {
	case reflect.String:
		if r.Type != gjson.Null {
			v.SetString(r.String())
		}
	case reflect.Int64:
		v.SetInt(r.Int())
	case reflect.Float64:
		v.SetFloat(r.Float())
	case reflect.Bool:
		v.SetBool(r.Bool())
	case reflect.Slice:
		if !r.IsArray() {
			return
		}
		arr := r.Array()
		s := reflect.MakeSlice(v.Type(), len(arr), len(arr))
		for i, e := range arr {
			fill(s.Index(i), e)
		}
		v.Set(s)
	case reflect.Struct:
		if !r.IsObject() {
			return
		}
		t := v.Type()
		r.ForEach(func(k, val gjson.Result) bool {
			if f, ok := fieldByTag(t, k.Str); ok && k.Str != metaField {
				fill(v.FieldByIndex(f.Index), val)
			}
			return true
		})
	}
}
