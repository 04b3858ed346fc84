package hubspot

import "testing"

// TestOptionValuesAsHubSpotTakesThem: a label is its option's value
// (ignoring case), a value stays, a label two options share or no option
// has is left for HubSpot to refuse, and a checkboxes list loses its empty
// elements (a leading ";" would append).
func TestOptionValuesAsHubSpotTakesThem(t *testing.T) {
	opts := []option{{Label: "Parking", Value: "parking"}, {Label: "Big", Value: "b1"}, {Label: "big", Value: "b2"}, {Label: "b1", Value: "x"}}
	sel := property{Type: "enumeration", FieldType: "select", Options: opts}
	box := property{Type: "enumeration", FieldType: "checkbox", Options: opts}
	for _, c := range []struct {
		p       property
		in, out string
	}{
		{sel, "parking", "parking"}, {sel, "PARKING", "parking"}, {sel, "b1", "b1"}, {sel, "Big", "Big"}, {sel, "none", "none"},
		{box, ";parking", "parking"}, {box, "Parking;;b1;", "parking;b1"}, {box, ";", ""},
	} {
		if got := optionValues(c.p, c.in); got != c.out {
			t.Errorf("%s %q: got %q, want %q", c.p.FieldType, c.in, got, c.out)
		}
	}
}
