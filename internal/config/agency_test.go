package config_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestAgencyNameIsOneShortPrintableLine: three agencies on one server
// mailed reports nothing in which named the agency. agency: names it; the
// report's subject and printed pages show it, so a name with a line
// break, a tab, an invisible character turning text around, blank, or too
// long for a page's header is refused at its line, saying what to write;
// left out, it is "" (no name shown, as before).
func TestAgencyNameIsOneShortPrintableLine(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	load := func(agency string) (*config.Config, error) {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps + "\n"
		if agency != "" {
			raw += "agency: " + agency + "\n"
		}
		return config.Parse("c.yaml", []byte(raw), env(nil))
	}
	cfg, err := load("")
	if err != nil || cfg.Agency != "" {
		t.Fatalf("no agency: %v, %q", err, cfg.Agency)
	}
	for _, ok := range []string{`"Nordhavn Erhverv"`, `Smith & Co Estates`, `"Ærø Erhverv A/S: København"`,
		`"` + strings.Repeat("x", config.MaxAgencyRunes-1) + `ø"`} {
		if cfg, err := load(ok); err != nil || cfg.Agency != strings.Trim(ok, `"`) {
			t.Errorf("agency %s: %v, %q", ok, err, cfg.Agency)
		}
	}
	for agency, want := range map[string]string{
		`"Nordhavn\nErhverv"`:     "c.yaml:7: agency \"Nordhavn\\nErhverv\" holds a line break, tab or invisible character",
		`"Nordhavn\tErhverv"`:     "holds a line break, tab or invisible character",
		`"Nordhavn\u202eErhverv"`: "holds a line break, tab or invisible character",
		`"   "`:                   "c.yaml:7: agency \"   \" is blank",
		`" Nordhavn"`:             "starts or ends with a space",
		strings.Repeat("y", config.MaxAgencyRunes+1): "c.yaml:7: agency is 61 characters long, longer than the 60",
	} {
		_, err := load(agency)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("agency %s: %v, want %q", agency, err, want)
		}
	}
}
