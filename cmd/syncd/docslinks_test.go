package main_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	// mdLink is a Markdown link's target: `[text](target)`.
	mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	// mdHeading is a heading line, its text in group 1.
	mdHeading = regexp.MustCompile(`^#{1,6} +(.+?) *#*$`)
	// slugDrop is what GitHub drops from a heading's text in its anchor.
	slugDrop = regexp.MustCompile(`[^\p{L}\p{N} _-]`)
	// inlineCode is a span in backquotes, where a link is text.
	inlineCode = regexp.MustCompile("`[^`\n]*`")
)

// mdProse is a Markdown file's text outside its fenced blocks, one entry
// a line (fenced lines empty, so line numbers hold).
func mdProse(body string) []string {
	lines := strings.Split(body, "\n")
	fenced := false
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fenced = !fenced
			lines[i] = ""
		} else if fenced {
			lines[i] = ""
		}
	}
	return lines
}

// mdAnchors are the anchors GitHub makes of a Markdown file's headings:
// lower case, punctuation dropped, spaces as hyphens, a repeated one
// numbered (-1, -2, ...).
func mdAnchors(body string) map[string]bool {
	anchors := map[string]bool{}
	seen := map[string]int{}
	for _, l := range mdProse(body) {
		m := mdHeading.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		slug := strings.ReplaceAll(slugDrop.ReplaceAllString(strings.ToLower(m[1]), ""), " ", "-")
		if n := seen[slug]; n > 0 {
			anchors[slug+"-"+strconv.Itoa(n)] = true
		} else {
			anchors[slug] = true
		}
		seen[slug]++
	}
	return anchors
}

// brokenLinks are the relative links of the Markdown file at file (its
// text body) that lead nowhere: to no file, or to an anchor no heading
// of the target makes. read gives another file's text.
func brokenLinks(file, body string, read func(string) (string, error)) []string {
	var broken []string
	for n, l := range mdProse(body) {
		l = inlineCode.ReplaceAllString(l, "")
		for _, m := range mdLink.FindAllStringSubmatch(l, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			where, anchor, _ := strings.Cut(target, "#")
			dest := file
			if where != "" {
				dest = filepath.Join(filepath.Dir(file), filepath.FromSlash(where))
			}
			text, err := read(dest)
			if err != nil {
				broken = append(broken, file+":"+strconv.Itoa(n+1)+": "+target+": no such file")
				continue
			}
			if anchor != "" && (!strings.HasSuffix(dest, ".md") || !mdAnchors(text)[anchor]) {
				broken = append(broken, file+":"+strconv.Itoa(n+1)+": "+target+": no such heading in "+dest)
			}
		}
	}
	return broken
}

// readDocFile reads a file, or stats a directory (a link to docs/senders/).
func readDocFile(name string) (string, error) {
	st, err := os.Stat(name)
	if err != nil {
		return "", err
	}
	if st.IsDir() {
		return "", nil
	}
	b, err := os.ReadFile(name)
	return string(b), err
}

// TestDocsLinksResolve: every relative link in the repository's Markdown
// (the README, docs/, the install guide, the mapping files' guide) leads
// to a file that exists and, with an anchor, to a heading that file has:
// the README's sections moved to docs/ pages, and a link left to
// "#daily-report" or "docs/report.md#mail" would lead a reader nowhere.
func TestDocsLinksResolve(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	files := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		files++
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, b := range brokenLinks(p, string(body), readDocFile) {
			t.Error(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Errorf("only %d Markdown files found: is the walk still right?", files)
	}
}

// TestBrokenLinksAreFound: the checker itself tells a link to no file and
// one to no heading from those that hold, so TestDocsLinksResolve can
// fail.
func TestBrokenLinksAreFound(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		filepath.Join("d", "a.md"): "# Page A\n\n## Daily report: the mail\n\n## Daily report: the mail\n",
	}
	read := func(name string) (string, error) {
		if s, ok := files[name]; ok {
			return s, nil
		}
		return "", fs.ErrNotExist
	}
	body := "[ok](d/a.md) [ok](d/a.md#daily-report-the-mail) [ok](d/a.md#daily-report-the-mail-1) [ok](#top)\n" +
		"[bad](d/b.md) [bad](d/a.md#mail) [ok](https://example.com/x.md)\n" +
		"`[code](nowhere.md)`\n```\n[fenced](nowhere.md)\n```\n# Top\n"
	files["r.md"] = body
	got := brokenLinks("r.md", body, read)
	want := []string{"r.md:2: d/b.md: no such file", "r.md:2: d/a.md#mail: no such heading in " + filepath.Join("d", "a.md")}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("broken links found:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// repoPath is a path into the repository the documentation writes in
// backquotes (`testdata/config/bad/tab.yaml`, `configs/prometheus/`), up
// to a line number or anchor after it.
var repoPath = regexp.MustCompile("`((?:\\.ci|cmd|configs|docs|internal|mappings|packaging|scripts|systemd|testdata)/[^`\\s:#]*)")

// missingPaths are the repository paths the Markdown text body cites in
// backquotes that exist nowhere under root, each with its line; paths
// that stand for others (NAME, <crm>, *, …, {id}) are not looked up.
func missingPaths(file, body, root string) []string {
	var missing []string
	for n, l := range strings.Split(body, "\n") {
		for _, m := range repoPath.FindAllStringSubmatch(l, -1) {
			p := strings.TrimRight(m[1], ".,;)")
			if strings.ContainsAny(p, "*<{…$") || strings.Contains(p, "NAME") || strings.Contains(p, "...") {
				continue
			}
			if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(p))); err != nil {
				missing = append(missing, file+":"+strconv.Itoa(n+1)+": "+p+": no such file or directory")
			}
		}
	}
	return missing
}

// TestDocsCitePathsThatExist: every file or directory of the repository
// the operator's documentation names in backquotes exists, so that a new
// operator who opens it finds it. configuring.md cited the bad
// configurations as `testdata/config/bad/negative-values` and five more,
// files that are negative-values.yaml and its .err.
func TestDocsCitePathsThatExist(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	cited := 0
	for _, file := range operatorDocs(t) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		cited += len(repoPath.FindAllString(string(b), -1))
		for _, m := range missingPaths(file, string(b), root) {
			t.Error(m)
		}
	}
	if cited < 50 {
		t.Errorf("only %d repository paths found in the docs: is the pattern still right?", cited)
	}
	if got := missingPaths("r.md", "`testdata/config/bad/tab.yaml` `testdata/nowhere/x.json`, `mappings/<crm>/`", root); len(got) != 1 || !strings.Contains(got[0], "r.md:1: testdata/nowhere/x.json") {
		t.Errorf("the checker found %q in a text citing one path that exists and one that does not", got)
	}
}
