package mapping

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// FuzzLoad feeds arbitrary files to the loader (seeds: the shipped and the
// bad mappings, plus testdata/fuzz/FuzzLoad): it must never panic, and
// must either load rules that map the fixtures without panicking, or fail
// with LoadErrors whose every line names the file.
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{mappingsDir + "/*/*.yaml", testdataRoot + "/bad/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	var evs []syncd.Event
	for path, kind := range examples(f) {
		evs = append(evs, fixtureEvent(f, kind, path))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("fuzz.yaml", data, "hubspot")
		if err != nil {
			var list LoadErrors
			if errors.As(err, &list) {
				for _, line := range strings.Split(err.Error(), "\n") {
					if !strings.HasPrefix(line, "fuzz.yaml") {
						t.Fatalf("error line does not name the file: %q", line)
					}
				}
			}
			return
		}
		for _, ev := range evs {
			res := r.Map(ev)
			if res.State == syncd.MapMapped && len(res.Ops) == 0 {
				t.Fatalf("mapped with no operations: %+v", res)
			}
		}
	})
}

// Run it with, e.g.:
//
//	go test ./internal/mapping -run '^$' -fuzz FuzzLoad -fuzztime 60s -fuzzminimizetime 5s
