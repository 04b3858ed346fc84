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
