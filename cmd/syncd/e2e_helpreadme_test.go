package main_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readmeCommandRows are the rows of the Commands table (docs/commands.md,
// once the README's): the command as "syncd" names it, and the row.
func readmeCommandRows(t *testing.T) map[string][]string {
	t.Helper()
	b, err := os.ReadFile("../../docs/commands.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	s = s[strings.Index(s, "# Commands\n"):]
	s = s[:strings.Index(s, "\nOne rule for time")]
	rows := map[string][]string{}
	for _, line := range strings.Split(s, "\n") {
		if cmd, ok := strings.CutPrefix(line, "| `syncd "); ok {
			name := strings.Fields(cmd)[0]
			name = strings.TrimSuffix(name, "`")
			rows[name] = append(rows[name], line)
		}
	}
	return rows
}

var (
	flagWord      = regexp.MustCompile("(?:^|[ [`])(-[a-z][a-z-]*)")
	backtickFlag  = regexp.MustCompile("`(-[a-z][a-z-]*)`")
	helpFlagEntry = regexp.MustCompile(`(?m)^  (-[a-z][a-z-]*)`)
)

// readmeFlags are the flags a README row gives its command: those in its
// first cell, and, withText, those its text names alone in backquotes.
func readmeFlags(row string, withText bool) []string {
	cells := strings.Split(row, " | ")
	var flags []string
	for _, m := range flagWord.FindAllStringSubmatch(cells[0], -1) {
		flags = append(flags, m[1])
	}
	for _, m := range backtickFlag.FindAllStringSubmatch(strings.Join(cells[1:], " | "), -1) {
		if withText {
			flags = append(flags, m[1])
		}
	}
	slices.Sort(flags)
	return slices.Compact(flags)
}

// operatorDocs are the operator's documentation: the README, the install
// guide, DURABILITY.md, the mapping files' guide and the pages of docs/.
func operatorDocs(t *testing.T) []string {
	t.Helper()
	pages, err := filepath.Glob("../../docs/*.md")
	if err != nil || len(pages) < 10 {
		t.Fatalf("docs/*.md: %d pages (%v)", len(pages), err)
	}
	return append([]string{"../../README.md", "../../systemd/README.md", "../../DURABILITY.md", "../../mappings/README.md"}, pages...)
}

// TestTopLevelUsageNamesTheReadmesCommandsAndFlags: "syncd -h", the first
// thing a new operator reads, lists every command of the README's table
// with the flags the README gives it (it lacked serve -fresh, sync
// -resume, erase -crm and events repair), and the README's table every
// command "syncd -h" lists (it lacked syncd version).
func TestTopLevelUsageNamesTheReadmesCommandsAndFlags(t *testing.T) {
	t.Parallel()
	usage, _, _ := syncdRun(t, "-h")
	lines := map[string]string{}
	prev := ""
	for _, l := range strings.Split(usage, "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) > 0 && prev != "" && strings.HasPrefix(l, "   "): // a command's description on a line of its own
			lines[prev] += " " + strings.TrimSpace(l)
		case len(f) > 0 && strings.HasPrefix(l, "  "):
			lines[f[0]], prev = l, f[0]
		default:
			prev = ""
		}
	}
	readme := readmeCommandRows(t)
	for name := range lines {
		if _, ok := readme[name]; !ok {
			t.Errorf("syncd -h lists %s, the README's Commands table does not", name)
		}
	}
	for name, rows := range readme {
		line, ok := lines[name]
		if !ok {
			t.Errorf("syncd -h does not list %s", name)
			continue
		}
		for _, row := range rows {
			if sub := strings.Fields(strings.TrimPrefix(row, "| `syncd "))[1]; name == "events" || name == "outbox" {
				if !strings.Contains(line, sub) {
					t.Errorf("syncd -h: %s does not name %s:\n%s", name, sub, line)
				}
				continue
			}
			for _, f := range readmeFlags(row, false) {
				if !strings.Contains(line, f+" ") && !strings.Contains(line, f+"]") {
					t.Errorf("syncd -h: %s does not name %s:\n%s", name, f, line)
				}
			}
		}
	}
}

// TestCommandHelpMatchesReadmeFlags: "syncd CMD -h" lists every flag the
// README gives the command, and the README every flag but -config that
// the command takes (fakecrm -token was not documented).
func TestCommandHelpMatchesReadmeFlags(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	for name, rows := range readmeCommandRows(t) {
		if name == "events" || name == "outbox" || name == "crm" {
			continue // one row per subcommand, and their own usage (TestEventsOutboxUsage)
		}
		help, _, _ := syncdRun(t, name, "-h")
		var got []string
		for _, m := range helpFlagEntry.FindAllStringSubmatch(help, -1) {
			if m[1] != "-config" {
				got = append(got, m[1])
			}
		}
		slices.Sort(got)
		want := slices.DeleteFunc(readmeFlags(rows[0], true), func(f string) bool { return f == "-config" }) // every command's
		if !slices.Equal(got, want) {
			t.Errorf("syncd %s -h lists %v, the README %v", name, got, want)
		}
	}
}

// TestReadmesGoVersionIsGoMods: the Go the README's Quick start and the
// install guide (systemd/README.md) ask for is the one go.mod's go line
// names. The Quick start said "Go 1.26 or newer" while go.mod says
// 1.26.8: a Go 1.26.0 offline stops at downloading the newer toolchain.
func TestReadmesGoVersionIsGoMods(t *testing.T) {
	t.Parallel()
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go ([0-9.]+)$`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	want := string(m[1])
	for file, claim := range map[string]string{
		"../../README.md":         "You need Go " + want + " or newer",
		"../../systemd/README.md": "GOVERSION=" + want + " ",
	} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), claim) {
			t.Errorf("%s does not say %q (go.mod: go %s)", file, claim, want)
		}
	}
}

// docsInvocation is "syncd CMD …" in the operator's documentation, up to
// the end of its backquotes, line or table cell.
var (
	docsInvocation = regexp.MustCompile("syncd ([a-z][a-z-]*(?: [^`\\n|]*)?)")
	wholeFlag      = regexp.MustCompile(`^-[a-z][a-z-]*$`)
)

// TestEveryFlagTheDocsGiveACommandIsItsOwn: every flag the README, the
// install guide and DURABILITY.md write after "syncd CMD" (and its
// subcommand: "syncd outbox list -state dead", "syncd crm setup
// -dry-run") is one that command's -h lists, so that a new operator who
// runs a line as printed is not told "flag provided but not defined".
// The words of an invocation are read up to the first one that ends a
// phrase (",", ";", ":", ")" or a "(" opening one).
func TestEveryFlagTheDocsGiveACommandIsItsOwn(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	subs := map[string][]string{
		"events": {"list", "show", "repair", "dismiss", "done"},
		"outbox": {"list", "show", "retry", "give-up", "drop"},
		"crm":    {"check", "setup", "forget-links"},
	}
	usage, _, _ := syncdRun(t, "-h")
	commands := map[string]bool{}
	for _, l := range strings.Split(usage, "\n") {
		if f := strings.Fields(l); len(f) > 0 && strings.HasPrefix(l, "  ") {
			commands[f[0]] = true
		}
	}
	helps := map[string][]string{}
	flagsOf := func(cmd []string) []string {
		key := strings.Join(cmd, " ")
		if f, ok := helps[key]; ok {
			return f
		}
		help, _, code := syncdRun(t, append(slices.Clone(cmd), "-h")...) // cmd shares words: an append in place wrote "-h" over the first flag
		if code != 0 {
			t.Errorf("syncd %s -h: exit %d", key, code)
		}
		var f []string
		for _, m := range helpFlagEntry.FindAllStringSubmatch(help, -1) {
			f = append(f, m[1])
		}
		helps[key] = f
		return f
	}
	checked := 0
	for _, file := range operatorDocs(t) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range docsInvocation.FindAllStringSubmatch(string(b), -1) {
			words := strings.Fields(m[1])
			if !commands[words[0]] {
				continue // prose: "syncd turns webhooks into …"
			}
			cmd, rest := words[:1], words[1:]
			if names, ok := subs[words[0]]; ok {
				i := slices.IndexFunc(rest, func(w string) bool { return slices.Contains(names, w) })
				if i < 0 {
					continue // "syncd events -h", "syncd outbox drop" named in prose as a whole
				}
				cmd, rest = append(cmd, rest[i]), append(slices.Clone(rest[:i]), rest[i+1:]...)
			}
			known := flagsOf(cmd)
			for _, w := range rest {
				if strings.HasPrefix(w, "(") {
					break
				}
				flag := strings.TrimRight(w, ",;:).")
				if wholeFlag.MatchString(flag) && flag != "-h" {
					checked++
					if !slices.Contains(known, flag) {
						t.Errorf("%s: %q gives syncd %s %s, which its -h does not list", file, m[0], strings.Join(cmd, " "), flag)
					}
				}
				if flag != w {
					break
				}
			}
		}
	}
	t.Logf("%d flags checked", checked)
	if checked < 50 {
		t.Errorf("only %d flags found in the docs' invocations: is the pattern still right?", checked)
	}
}

// TestReadmeLayoutNamesEveryPackage: the README's Layout names every
// package under internal/ (it lacked internal/holdlock, the reports
// directory's lock that names its holder).
func TestReadmeLayoutNamesEveryPackage(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, layout, _ := strings.Cut(string(b), "\n## Layout\n")
	layout, _, _ = strings.Cut(layout, "\n## ")
	dirs, err := os.ReadDir("../../internal")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if d.IsDir() && !regexp.MustCompile(`internal/`+regexp.QuoteMeta(d.Name())+`\b`).MatchString(layout) {
			t.Errorf("the README's Layout does not name internal/%s", d.Name())
		}
	}
}

// TestDocsCiteOnlyTestsThatExist: every test the operator's documentation
// cites as the evidence of a claim (`TestName`, `TestSuite/case`) is a
// test of this repository, so a test renamed or removed does not leave
// the README pointing at nothing (208 cited today, all there).
func TestDocsCiteOnlyTestsThatExist(t *testing.T) {
	t.Parallel()
	defined := map[string]bool{}
	testFunc := regexp.MustCompile(`(?m)^func (Test[A-Za-z0-9_]*)\(`)
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		for _, m := range testFunc.FindAllSubmatch(b, -1) {
			defined[string(m[1])] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cited := regexp.MustCompile("`(Test[A-Z][A-Za-z0-9_]*)(?:/[^`]*)?`")
	n := 0
	for _, file := range operatorDocs(t) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range cited.FindAllStringSubmatch(string(b), -1) {
			n++
			if !defined[m[1]] {
				t.Errorf("%s cites %s, which no _test.go file defines", file, m[1])
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d tests cited: is the pattern still right?", n)
	}
}

// TestTopLevelUsageDescriptionsStartInOneColumn: in "syncd -h" the
// descriptions of serve and validate began a column to the right of the
// others', and those of report, erase and export right after their long
// flags, out of the column, where a reader scanning the column missed
// them. Each starts in one column now, on a line of its own after flags
// too long for theirs.
func TestTopLevelUsageDescriptionsStartInOneColumn(t *testing.T) {
	t.Parallel()
	usage, _, _ := syncdRun(t, "-h")
	_, table, _ := strings.Cut(usage, "commands:\n")
	table, _, _ = strings.Cut(table, "\n\n")
	const col = 57 // after "  accept-restore" and the widest flags that fit
	lines := strings.Split(table, "\n")
	for i, l := range lines {
		if i+1 < len(lines) && strings.HasPrefix(lines[i+1], strings.Repeat(" ", col)) {
			continue // its description is on the next line
		}
		if len(l) <= col || l[col-1] != ' ' || l[col] == ' ' {
			t.Errorf("syncd -h: a description not at column %d:\n%s", col+1, l)
		}
	}
}
