package mapping

import "testing"

// TestE164MakesUpNoNumber: a number that only dials within its own area
// (libphonenumber's "possible, local only": too short to call from
// anywhere else) or a keypad word cut off after its digits came out as a
// number in E.164 that nobody can call: "12345" of a GB lead as
// +4412345, "1-800-FLOWERS" as +441800. The CRM then held it as the
// person's phone, keyed a contact by it, and merged strangers on it.
// Such input is no phone number: "".
func TestE164MakesUpNoNumber(t *testing.T) {
	for _, c := range []struct{ raw, region, want string }{
		{"12345", "GB", ""},
		{"1-800-FLOWERS", "GB", ""},
		{"1234", "DK", ""},
		{"52 25 05 59", "DK", "+4552250559"},
		{"020 3870 4550", "GB", "+442038704550"},
		{"07700 900123", "GB", "+447700900123"},
		{"+44 (0)20 3870 4550", "GB", "+442038704550"},
		{"52 25 05 59 (mobil)", "DK", "+4552250559"},
	} {
		if got := E164(c.raw, c.region); got != c.want {
			t.Errorf("E164(%q, %s) = %q, want %q", c.raw, c.region, got, c.want)
		}
	}
}
