package sender

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestTypeFieldNotAStringSaysSo: a body whose type field is there but is
// no type name (a number, null, an object, an empty string) is unrecognised
// with a reason that says what the field holds. The reason said "no
// eaf_type", which the operator then read beside a body that has one.
func TestTypeFieldNotAStringSaysSo(t *testing.T) {
	for body, want := range map[string]string{
		`{"eaf_type":5,"eaf_id":"1"}`:                  "eaf_type is a number, not a type name",
		`{"eaf_type":null,"eaf_id":"1"}`:               "eaf_type is null, not a type name",
		`{"eaf_type":{"a":1},"eaf_id":"1"}`:            "eaf_type is an object, not a type name",
		`{"eaf_type":["x"],"eaf_id":"1"}`:              "eaf_type is an array, not a type name",
		`{"eaf_type":true,"eaf_id":"1"}`:               "eaf_type is true, not a type name",
		`{"eaf_type":"","eaf_id":"1"}`:                 "eaf_type is empty",
		`{"eaf_id":"1"}`:                               "no eaf_type",
		`{"eaf_type":"email_lead","x":{"eaf_type":1}}`: "",
	} {
		d := Decode(syncd.KindEAF, []byte(body), 0)
		if (want == "") != (d.Unrecognised == "") || !strings.HasPrefix(d.Unrecognised, want) {
			t.Errorf("%s: unrecognised %q, want %q", body, d.Unrecognised, want)
		}
	}
}

// TestNULMakesNoTypeOrID: a type field or a delivery id holding a NUL
// (valid in JSON as \u0000), and an id of
// kilobytes, were taken as they were into the event's type and key, which
// PostgreSQL refuses (its text holds no NUL, its index no key of
// kilobytes): such a delivery was answered 503 at every retry and lost.
// Such a type is no type name (unrecognised), such an id no id (the body's
// hash keys the delivery); an id of 256 bytes is still one.
func TestNULMakesNoTypeOrID(t *testing.T) {
	d := Decode(syncd.KindEAF, []byte(`{"eaf_type":"email\u0000lead","eaf_id":"1"}`), 0)
	if d.Type != "" || !strings.HasPrefix(d.Unrecognised, "eaf_type holds a NUL") {
		t.Errorf("type with a NUL: type %q, unrecognised %q", d.Type, d.Unrecognised)
	}
	for _, id := range []string{`"a\u0000b"`, `"` + strings.Repeat("7", 257) + `"`, strings.Repeat("7", 257)} {
		d := Decode(syncd.KindEAF, []byte(`{"eaf_type":"email_lead","eaf_id":`+id+`}`), 0)
		if d.Unrecognised != "" || !strings.HasPrefix(d.Key, "sha256:") {
			t.Errorf("eaf_id %.20s…: key %q, unrecognised %q; want the body's hash", id, d.Key, d.Unrecognised)
		}
	}
	if d := Decode(syncd.KindEAF, []byte(`{"eaf_type":"email_lead","eaf_id":"`+strings.Repeat("7", 256)+`"}`), 0); d.Key != "eaf:"+strings.Repeat("7", 256) {
		t.Errorf("eaf_id of 256 digits: key %q", d.Key)
	}
}
