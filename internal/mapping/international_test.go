package mapping_test

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
)

// TestInternationalIsTheNumberE164Gives: International shows the number
// E164 sends to the CRM, spaced as its country writes it, and nothing for
// what is not one number.
func TestInternationalIsTheNumberE164Gives(t *testing.T) {
	for _, c := range []struct{ raw, region, want string }{
		{"+4552250559", "GB", "+45 52 25 05 59"},
		{"52 25 05 59", "DK", "+45 52 25 05 59"},
		{"0045 52250559", "GB", "+45 52 25 05 59"},
		{"+44(0)20 3870 4550", "GB", "+44 20 3870 4550"},
		{"+45 (0)52 25 05 59", "GB", "+45 52 25 05 59"},
		{"07700 900123", "gb", "+44 7700 900123"},
		{"", "DK", ""},
		{"ring efter kl. 16", "DK", ""},
		{"52 25 05 59 (mobil)", "DK", ""},
		{"52 25 05 59 / 87 65 43 21", "DK", ""},
	} {
		if got := mapping.International(c.raw, c.region); got != c.want {
			t.Errorf("International(%q, %q) = %q, want %q", c.raw, c.region, got, c.want)
		}
	}
}
