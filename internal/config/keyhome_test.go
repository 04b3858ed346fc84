package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestKeyOutOfItsSectionSaysWhereItGoes: a key indented one step too few
// (mail: under report: at the margin) or written in another section was
// "unknown key "mail"", which did not say what to write, and a top-level
// one made every setting doubtful, so validate did not check the mappings.
// It now names the section the key is one of and says to move it there;
// a top-level one makes only that section doubtful.
func TestKeyOutOfItsSectionSaysWhereItGoes(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "maps"), 0o755)
	yaml := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [lb-token-0123456789]\n" +
		"    password: s3cret-pass\n" + // 5: a key of basic_auth
		"mapping:\n  dir: " + filepath.Join(dir, "maps") + "\n" +
		"sync:\n  time_zone: UTC\n" + // 9: a key of report
		"report:\n  keep_days: 30\n" +
		"mail:\n  host: smtp.example.com\n  to: [a@example.com]\n" // 12: report's mail, one step out
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Check(file, env(nil))
	ps, ok := err.(config.Problems)
	if !ok {
		t.Fatalf("error %v, want problems", err)
	}
	want := map[int][]string{
		5:  {`unknown key "password"`, "sources.NAME.basic_auth", "basic_auth:", "not of this section"},
		9:  {`unknown key "time_zone"`, "a key of report", "below report:"},
		12: {`unknown key "mail"`, "a key of report", "not a top-level one", "below report:", "with what is under it"},
	}
	if len(ps) != len(want) {
		t.Errorf("problems:\n%v\nwant one at each of lines 5, 9 and 12", ps)
	}
	for _, p := range ps {
		for _, w := range want[p.Line] {
			if !strings.Contains(p.Msg, w) {
				t.Errorf("line %d: %q does not say %q", p.Line, p.Msg, w)
			}
		}
	}
	if !cfg.Settled("mapping") || !cfg.Settled("crm") {
		t.Errorf("mapping and crm are doubted: the mappings would not be checked for a key of report out of it")
	}
	if cfg.Settled("report") {
		t.Errorf("report is settled, with its mail: written out of it")
	}
}
