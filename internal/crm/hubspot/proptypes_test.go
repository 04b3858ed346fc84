package hubspot

import "testing"

// TestOptionValuesAsHubSpotTakesThem: a label, or a value in another
// case, is its option's value, a value stays, a label two options share,
// a name two options answer to ("B1": b1's value, x's label) or one no
// option has is left for HubSpot to refuse, and a checkboxes list loses its empty
// elements (a leading ";" would append).
func TestOptionValuesAsHubSpotTakesThem(t *testing.T) {
	t.Parallel()
	opts := []option{{Label: "Parking", Value: "parking"}, {Label: "Big", Value: "b1"}, {Label: "big", Value: "b2"}, {Label: "b1", Value: "x"}}
	sel := property{Type: "enumeration", FieldType: "select", Options: opts}
	box := property{Type: "enumeration", FieldType: "checkbox", Options: opts}
	for _, c := range []struct {
		p       property
		in, out string
	}{
		{sel, "parking", "parking"}, {sel, "PARKING", "parking"}, {sel, "b1", "b1"}, {sel, "Big", "Big"}, {sel, "none", "none"},
		{sel, "X", "x"}, {sel, "B2", "b2"}, {sel, "B1", "B1"}, {box, "PARKING;X", "parking;x"},
		{box, ";parking", "parking"}, {box, "Parking;;b1;", "parking;b1"}, {box, ";", ""},
	} {
		if got := optionValues(c.p, c.in); got != c.out {
			t.Errorf("%s %q: got %q, want %q", c.p.FieldType, c.in, got, c.out)
		}
	}
}
