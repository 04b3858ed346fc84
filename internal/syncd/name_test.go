package syncd

import "testing"

func TestNameKeyIgnoresCaseAndSpacing(t *testing.T) {
	for in, want := range map[string]string{
		"Anna Jensen":         "anna jensen",
		"  ANNA\t  jensen \n": "anna jensen",
		"Åse\u00a0BERG":       "åse berg",
		"Anna Jensen-Berg":    "anna jensen-berg",
		"":                    "",
		" \u00a0 ":            "",
	} {
		if got := NameKey(in); got != want {
			t.Errorf("NameKey(%q) = %q, want %q", in, got, want)
		}
	}
}
