package main_test

import (
	"fmt"
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
		for _, m := range testFlag.FindAllStringSubmatch(string(body), -1) {
			// a benchmark's own flag (-e2e.leads): a size or a variant nobody
			// can use if the guide does not name it
			if strings.Contains(m[1], ".") && !strings.HasPrefix(m[1], "test.") &&
				!regexp.MustCompile(`-`+regexp.QuoteMeta(m[1])+`\b`).Match(guide) {
				t.Errorf("%s: the flag -%s is named nowhere in docs/testing.md", p, m[1])
			}
		}
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

var (
	// testFunc is a test, fuzz test or example's declaration in a test file:
	// what go test's -run selects.
	testFunc = regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Example)\w*)\(`)
	// fuzzFunc is a fuzz test's declaration: what -fuzz selects.
	fuzzFunc = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(f \*testing\.F\)`)
	// testFlag is a flag a package's tests define (flag.Int("e2e.leads", ...)).
	testFlag = regexp.MustCompile(`flag\.\w+\("([\w.-]+)"`)
	// codeSpan is a Markdown code span.
	codeSpan = regexp.MustCompile("`([^`]*)`")
)

// goTestFlags are the flags go test itself takes (a package's tests
// define the others).
var goTestFlags = map[string]bool{
	"run": true, "bench": true, "benchtime": true, "benchmem": true, "count": true, "timeout": true,
	"v": true, "short": true, "race": true, "fuzz": true, "fuzztime": true, "fuzzminimizetime": true,
	"cpu": true, "parallel": true, "json": true, "c": true, "o": true, "failfast": true, "shuffle": true,
	"cover": true, "coverprofile": true, "cpuprofile": true, "memprofile": true, "tags": true, "skip": true,
	"list": true, "vet": true, "exec": true, "trimpath": true, "blockprofile": true, "mutexprofile": true,
	"outputdir": true, "trace": true, "memprofilerate": true, "blockprofilerate": true,
	"mutexprofilefraction": true, "coverpkg": true, "covermode": true, "fullpath": true, "x": true, "n": true, "work": true, "p": true,
}

// testPackage is what one package's test files declare.
type testPackage struct {
	benchmarks, tests, fuzz []string
	flags                   map[string]bool
}

// TestEveryDocumentedTestCommandNamesWhatExists reads every `go test` command
// of the documentation (README.md, docs/*.md) and checks that it runs what it
// says: its package exists, its -bench pattern matches a benchmark of that
// package, its -run pattern a test, its -fuzz pattern a fuzz test, and each
// flag it adds (-e2e.leads, -budget) is one that package's tests define. A
// -bench or -run that matches nothing runs nothing and says ok, and a flag
// nobody defines stops the run: either way the figure the page quotes cannot
// be had from the command it gives. A | inside a command in a table cell must
// be written \|, or the table splits the command in two.
func TestEveryDocumentedTestCommandNamesWhatExists(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	pkgs := map[string]*testPackage{} // package directory, slash-separated -> its tests
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		rel = filepath.ToSlash(rel)
		tp := pkgs[rel]
		if tp == nil {
			tp = &testPackage{flags: map[string]bool{}}
			pkgs[rel] = tp
		}
		for _, m := range benchFunc.FindAllStringSubmatch(string(body), -1) {
			tp.benchmarks = append(tp.benchmarks, m[1])
		}
		for _, m := range testFunc.FindAllStringSubmatch(string(body), -1) {
			tp.tests = append(tp.tests, m[1])
		}
		for _, m := range fuzzFunc.FindAllStringSubmatch(string(body), -1) {
			tp.fuzz = append(tp.fuzz, m[1])
		}
		for _, m := range testFlag.FindAllStringSubmatch(string(body), -1) {
			tp.flags[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	docs = append(docs, filepath.Join(root, "README.md"))
	commands := 0
	for _, doc := range docs {
		body, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		name, _ := filepath.Rel(root, doc)
		for _, c := range documentedCommands(t, filepath.ToSlash(name), string(body)) {
			if i := strings.Index(c.text, "go test "); i >= 0 {
				commands++
				for _, problem := range checkGoTest(pkgs, root, c.text[i:]) {
					t.Errorf("%s:%d: `%s`: %s", name, c.line, c.text, problem)
				}
			} else if strings.Contains(c.text, ".test ") && strings.Contains(c.text, "-test.bench ") {
				// a test binary built by go test -c: its package is said
				// beside it, not in it, so any package's will do
				for _, problem := range checkGoTest(map[string]*testPackage{".": everyPackage(pkgs)}, root,
					"go test ./ "+strings.ReplaceAll(c.text[strings.Index(c.text, ".test ")+len(".test "):], "-test.", "-")) {
					t.Errorf("%s:%d: `%s`: %s", name, c.line, c.text, problem)
				}
			}
		}
	}
	if commands < 50 {
		t.Fatalf("%d go test commands read from the documentation; the reading of Markdown no longer finds them", commands)
	}
}

// documentedCommand is a code span or a line of a code block, and the line
// of its page it starts on.
type documentedCommand struct {
	text string
	line int
}

// documentedCommands returns the code spans of a Markdown page (each
// joined onto one line, a table cell's \| read as |) and the lines of its
// code blocks. A table cell holding half a code span (a | that split it)
// is an error.
func documentedCommands(t *testing.T, name, page string) []documentedCommand {
	var out []documentedCommand
	lines := strings.Split(page, "\n")
	fenced, fenceLine := false, 0
	para, paraLine := "", 0
	flush := func() {
		for _, m := range codeSpan.FindAllStringSubmatch(para, -1) {
			out = append(out, documentedCommand{strings.Join(strings.Fields(m[1]), " "), paraLine})
		}
		para = ""
	}
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "```"):
			flush()
			if fenced && strings.TrimSpace(l) != "```" {
				// a fence with an info string closes nothing: the page goes on as code
				t.Errorf("%s:%d: a code block opens (%s) where the one opened at line %d was not closed: close it with ```", name, i+1, strings.TrimSpace(l), fenceLine)
				continue
			}
			fenced, fenceLine = !fenced, i+1
		case fenced:
			out = append(out, documentedCommand{strings.TrimSpace(l), i + 1})
		case strings.HasPrefix(l, "|"):
			flush()
			for _, cell := range splitCells(l) {
				if strings.Count(cell, "`")%2 != 0 {
					t.Errorf("%s:%d: a | splits the code span of table cell %q: write it \\|", name, i+1, strings.TrimSpace(cell))
					continue
				}
				for _, m := range codeSpan.FindAllStringSubmatch(cell, -1) {
					out = append(out, documentedCommand{strings.ReplaceAll(m[1], `\|`, "|"), i + 1})
				}
			}
		case strings.TrimSpace(l) == "":
			flush()
		default:
			if para == "" {
				paraLine = i + 1
			}
			para += l + "\n"
		}
	}
	flush()
	if fenced {
		t.Errorf("%s:%d: the code block opened here is never closed", name, fenceLine)
	}
	return out
}

// splitCells splits a Markdown table row at its unescaped pipes, as
// GitHub does before it reads the cells' code spans.
func splitCells(row string) []string {
	var cells []string
	start := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			cells = append(cells, row[start:i])
			start = i + 1
		}
	}
	return append(cells, row[start:])
}

// checkGoTest returns what is wrong with one `go test ...` command: a
// package that does not exist, a pattern that selects nothing in it, a
// flag its tests do not define.
func checkGoTest(pkgs map[string]*testPackage, root, command string) []string {
	args := shellWords(command)[2:] // after "go test"
	var problems []string
	var pkg *testPackage
	pkgDir := ""
	for _, a := range args {
		if strings.HasPrefix(a, "./") && !strings.Contains(a, "...") {
			pkgDir = path.Clean(a)
			if st, err := os.Stat(filepath.Join(root, filepath.FromSlash(pkgDir))); err != nil || !st.IsDir() {
				return []string{"no package " + a}
			}
			pkg = pkgs[pkgDir]
			if pkg == nil {
				pkg = &testPackage{flags: map[string]bool{}}
			}
		}
	}
	where := "./" + pkgDir
	if pkgDir == "." {
		where = "any package" // a test binary's command
	}
	for i := 0; i < len(args); i++ {
		a := strings.Trim(args[i], "[]()")
		if !strings.HasPrefix(a, "-") || pkg == nil {
			continue
		}
		flagName, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !goTestFlags[flagName] {
			if !pkg.flags[flagName] {
				problems = append(problems, "no test of "+where+" defines the flag -"+flagName)
			}
			continue
		}
		var names []string
		switch flagName {
		case "bench":
			names = pkg.benchmarks
		case "run":
			names = pkg.tests
		case "fuzz":
			names = pkg.fuzz
		default:
			continue
		}
		if !hasValue && i+1 < len(args) {
			i++
			value = args[i]
		}
		if value == "^$" {
			continue
		}
		if value == "." && len(names) > 0 {
			continue
		}
		top, _, _ := strings.Cut(value, "/") // the top level; sub-tests' names are not read here
		re, err := regexp.Compile(top)
		if err != nil {
			problems = append(problems, fmt.Sprintf("-%s %q is no pattern go test reads: %v", flagName, value, err))
			continue
		}
		matched := false
		for _, n := range names {
			if re.MatchString(n) {
				matched = true
				break
			}
		}
		if !matched {
			problems = append(problems, fmt.Sprintf("-%s %q matches nothing in %s: the command runs nothing and says ok", flagName, value, where))
		}
	}
	return problems
}

// shellWords splits a command line as the shell does for the simple
// quoting the documentation uses: single and double quotes, no escapes
// outside them.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(c)
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words
}

// everyPackage is what the repository's test files declare, all packages
// together.
func everyPackage(pkgs map[string]*testPackage) *testPackage {
	all := &testPackage{flags: map[string]bool{}}
	for _, p := range pkgs {
		all.benchmarks = append(all.benchmarks, p.benchmarks...)
		all.tests = append(all.tests, p.tests...)
		all.fuzz = append(all.fuzz, p.fuzz...)
		for f := range p.flags {
			all.flags[f] = true
		}
	}
	return all
}
