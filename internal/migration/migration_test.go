package migration_test

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/syncd-dev/syncd/internal/migration"
)

// TestVersionsAreTheFilesNumbers: a migration's version is the number its
// file begins with, gaps and all (0012 made while another branch made
// 0011), ordered by number, not by name; a file not so named or a number
// used twice is refused.
func TestVersionsAreTheFilesNumbers(t *testing.T) {
	fsys := fstest.MapFS{"m/0001_init.sql": {}, "m/0012_waiting.sql": {}, "m/0010_partial.sql": {}, "m/0002_crm.sql": {}}
	files, err := migration.List(fsys, "m/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, f := range files {
		got = append(got, f.Version)
	}
	if len(got) != 4 || got[0] != 1 || got[1] != 2 || got[2] != 10 || got[3] != 12 || migration.Latest(files) != 12 {
		t.Fatalf("versions %v, latest %d; want [1 2 10 12], 12", got, migration.Latest(files))
	}
	for _, bad := range []fstest.MapFS{{"m/init.sql": {}}, {"m/0003_a.sql": {}, "m/3_b.sql": {}}} {
		if _, err := migration.List(bad, "m/*.sql"); err == nil {
			t.Errorf("%v: accepted", bad)
		}
	}
}

// TestKeyFormsOfAnInternationalEmail: an email key with an internationalised
// domain has its other form too, either way; any other key is alone.
func TestKeyFormsOfAnInternationalEmail(t *testing.T) {
	for key, want := range map[string][]string{
		"kim@møller.dk":        {"kim@møller.dk", "kim@xn--mller-vua.dk"},
		"kim@xn--mller-vua.dk": {"kim@xn--mller-vua.dk", "kim@møller.dk"},
		"kim@example.com":      {"kim@example.com"},
		"+4512345678":          {"+4512345678"},
	} {
		if got := migration.KeyForms(key); !slices.Equal(got, want) {
			t.Errorf("KeyForms(%q) = %q; want %q", key, got, want)
		}
	}
}
