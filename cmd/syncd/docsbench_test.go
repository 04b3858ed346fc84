package main_test

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	// benchFunc is a benchmark's declaration in a test file.
	benchFunc = regexp.MustCompile(`(?m)^func (Benchmark\w+)\(b \*testing\.B\)`)
	// benchCommand is a benchmark command of docs/testing.md: its package
	// and its -bench pattern, quoted or not.
	benchCommand = regexp.MustCompile(`go test (\./[\w./]+) [^|` + "`" + `]*?-bench '?([^' ` + "`" + `]+)'?`)
)

// TestEveryBenchmarkIsInTheTestingGuide checks that each benchmark of the
// repository is run by a command of docs/testing.md's Benchmarks table (a
// -bench pattern of its package that matches its name): one left out is
// a figure nobody can find the command of.
func TestEveryBenchmarkIsInTheTestingGuide(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	guide, err := os.ReadFile(filepath.Join(root, "docs", "testing.md"))
	if err != nil {
		t.Fatal(err)
	}
	patterns := map[string][]*regexp.Regexp{} // package directory -> -bench patterns
	for _, m := range benchCommand.FindAllStringSubmatch(string(guide), -1) {
		re, err := regexp.Compile(m[2])
		if err != nil {
			t.Fatalf("docs/testing.md: -bench %q: %v", m[2], err)
		}
		dir := path.Clean(m[1])
		patterns[dir] = append(patterns[dir], re)
	}
	if len(patterns) < 5 {
		t.Fatalf("docs/testing.md: %d packages' benchmark commands read; the pattern no longer reads the table", len(patterns))
	}
	found := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		for _, m := range benchFunc.FindAllStringSubmatch(string(body), -1) {
			found++
			if !runBy(patterns[filepath.ToSlash(rel)], strings.TrimPrefix(m[1], "Benchmark")) {
				t.Errorf("%s: %s is run by no command of docs/testing.md's Benchmarks table (./%s)", p, m[1], filepath.ToSlash(rel))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Fatal("no benchmark found in the repository")
	}
}

// runBy says whether one of go test's -bench patterns selects the
// benchmark named name (without its "Benchmark").
func runBy(patterns []*regexp.Regexp, name string) bool {
	for _, re := range patterns {
		if re.MatchString("Benchmark" + name) {
			return true
		}
	}
	return false
}
