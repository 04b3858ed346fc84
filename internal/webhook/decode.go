package webhook

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tailscale/hujson"
	"github.com/tidwall/gjson"
	"github.com/tidwall/pretty"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Decoded is what the receiver learns from a body.
type Decoded struct {
	Type    string            // event_type / eaf_type; "" when absent
	Key     string            // idempotency key
	Payload []byte            // standard JSON when the body needed the lenient pass; nil otherwise
	Parse   syncd.ParseStatus // strict or lenient
	// Reason is set when the body did not parse even leniently: it goes to
	// the quarantine, and Key is the SHA-256 of the raw bytes.
	Reason string
}

// Decode parses a body of the given sender kind: strict JSON first, then a
// lenient pass (trailing commas, comments) through tailscale/hujson. The
// idempotency key is "eaf:<eaf_id>" for Estate Agent Feeds bodies that carry
// one, else "sha256:<hex>" of the canonical JSON (keys sorted, insignificant
// white space removed), so that a retried Lokalebasen delivery is
// recognised however it is formatted.
//
// It runs on every request, so it makes no map of the document: gjson reads
// the two fields it needs and tidwall/pretty sorts and compacts in one pass.
func Decode(kind syncd.Kind, body []byte) Decoded {
	d := Decoded{Parse: syncd.ParseStrict}
	doc := body
	if !json.Valid(body) {
		std, err := standardize(body)
		if err != nil || !json.Valid(std) {
			return quarantined(body, invalid(body))
		}
		doc, d.Payload, d.Parse = std, std, syncd.ParseLenient
	}
	if !isObject(doc) {
		return quarantined(body, errNotObject)
	}
	typeField := "event_type"
	if kind == syncd.KindEAF {
		typeField = "eaf_type"
	}
	if t := gjson.GetBytes(doc, typeField); t.Type == gjson.String {
		d.Type = t.Str
	}
	if id := gjson.GetBytes(doc, "eaf_id"); kind == syncd.KindEAF && id.Type == gjson.String && id.Str != "" {
		d.Key = "eaf:" + id.Str
		return d
	}
	d.Key = "sha256:" + sum(canonical(doc))
	return d
}

func quarantined(body []byte, err error) Decoded {
	return Decoded{Key: "sha256:" + sum(body), Reason: err.Error()}
}

// errNotObject: syncd's senders send one JSON object per delivery.
var errNotObject = errors.New("body is not a JSON object")

// invalid says why body is not JSON (only called when it is not).
func invalid(body []byte) error {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	return errors.New("invalid JSON")
}

// isObject reports whether valid JSON doc is an object.
func isObject(doc []byte) bool {
	doc = bytes.TrimLeft(doc, " \t\r\n")
	return len(doc) > 0 && doc[0] == '{'
}

// standardize is the lenient pass: JSON with comments and trailing commas
// (HuJSON) made standard and compact.
func standardize(b []byte) ([]byte, error) {
	v, err := hujson.Parse(b)
	if err != nil {
		return nil, err
	}
	v.Standardize()
	out := v.Pack()
	var buf bytes.Buffer
	if err := json.Compact(&buf, out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// canonical renders valid JSON doc with object keys sorted at every level
// and no insignificant white space; strings and numbers stay byte for byte
// as sent.
func canonical(doc []byte) []byte {
	return pretty.Ugly(pretty.PrettyOptions(doc, &pretty.Options{SortKeys: true}))
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
