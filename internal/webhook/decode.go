package webhook

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tailscale/hujson"

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
func Decode(kind syncd.Kind, body []byte) Decoded {
	d := Decoded{Parse: syncd.ParseStrict}
	doc, err := parseObject(body)
	if err != nil {
		std, lerr := standardize(body)
		if lerr != nil {
			return quarantined(body, err)
		}
		if doc, err = parseObject(std); err != nil {
			return quarantined(body, err)
		}
		d.Payload, d.Parse = std, syncd.ParseLenient
	}
	typeField := "event_type"
	if kind == syncd.KindEAF {
		typeField = "eaf_type"
	}
	d.Type, _ = doc[typeField].(string)
	if id, ok := doc["eaf_id"].(string); ok && kind == syncd.KindEAF && id != "" {
		d.Key = "eaf:" + id
		return d
	}
	canon, err := canonical(doc)
	if err != nil {
		return quarantined(body, err)
	}
	d.Key = "sha256:" + sum(canon)
	return d
}

func quarantined(body []byte, err error) Decoded {
	return Decoded{Key: "sha256:" + sum(body), Reason: err.Error()}
}

// errNotObject: syncd's senders send one JSON object per delivery.
var errNotObject = errors.New("body is not a JSON object")

// parseObject parses strict JSON, keeping numbers exact.
func parseObject(b []byte) (map[string]any, error) {
	if !json.Valid(b) {
		var v any
		err := json.Unmarshal(b, &v) // for the precise message
		if err == nil {
			err = errors.New("not valid JSON")
		}
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errNotObject
	}
	return obj, nil
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

// canonical renders doc with keys sorted (encoding/json sorts map keys),
// no insignificant white space, and no HTML escaping.
func canonical(doc map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
