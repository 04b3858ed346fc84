package suggest

import "testing"

func TestNearest(t *testing.T) {
	names := []string{"schedule", "prompt_delay", "max_attempts", "lease"}
	for s, want := range map[string]string{
		"schedul": "schedule", "Schedule": "schedule", "max_attempt": "max_attempts",
		"leas": "lease", "timeout": "", "": "",
	} {
		if got := Nearest(s, names); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestMisspelt(t *testing.T) {
	names := []string{"company", "Phone", "firstname", " Budget "}
	for s, want := range map[string]string{
		"compnay": "company", "Phone 2": "", "phone": "", "Phon": "", "firstnme": "firstname",
		"budgte": "Budget", "lifecyclestage": "", "": "",
	} {
		if got := Misspelt(s, names); got != want {
			t.Errorf("Misspelt(%q) = %q, want %q", s, got, want)
		}
	}
}
