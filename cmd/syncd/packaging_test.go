package main_test

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestPackagedDocsLinksHold: the package installs the operator's
// documentation under /usr/share/doc/syncd/, "laid out as in the
// repository so that its links between files hold" (packaging/nfpm.yaml).
// README.md links to DURABILITY.md (what a power cut may take back) and to
// systemd/README.md (the install guide, and its "Several agencies on one
// server"), which the package did not install, or installed under another
// name (README.systemd.md): both links led nowhere on an installed server.
// Every relative link of every Markdown file the package installs must
// name a file it installs.
func TestPackagedDocsLinksHold(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../packaging/nfpm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Contents []struct{ Src, Dst string }
	}
	if err := yaml.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	const doc = "/usr/share/doc/syncd/"
	installed := map[string]string{} // path under doc -> the repository's file
	for _, c := range pkg.Contents {
		if !strings.HasPrefix(c.Dst, doc) || c.Src == "" {
			continue
		}
		srcs, _ := filepath.Glob(filepath.Join("../..", c.Src))
		if len(srcs) == 0 {
			t.Errorf("packaging/nfpm.yaml: src %s matches no file", c.Src)
		}
		for _, src := range srcs {
			dst := strings.TrimPrefix(c.Dst, doc)
			if strings.HasSuffix(c.Dst, "/") {
				dst += filepath.Base(src)
			}
			installed[dst] = src
		}
	}
	link := regexp.MustCompile(`\]\(([^)#\s]+)(#[^)\s]*)?\)`)
	for dst, src := range installed {
		if !strings.HasSuffix(dst, ".md") {
			continue
		}
		body, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(body), -1) {
			target := m[1]
			if strings.Contains(target, "://") {
				continue
			}
			if _, ok := installed[path.Join(path.Dir(dst), target)]; !ok {
				t.Errorf("%s%s (from %s) links to %s, which the package does not install there", doc, dst, src, target)
			}
		}
	}
}

// TestPackagedFilesHaveTheirModes: nfpm gives a packaged file the mode its
// source has in the checkout it builds from, so a checkout made with
// umask 002 (git archive's default, a release tarball, a CI runner) built
// a .deb whose units, sysusers and tmpfiles snippets and mappings were
// 0664 (tried: dpkg-deb -c showed -rw-rw-r--), and the mappings, which
// syncd loads as configuration, writable by a group. Every file the
// package installs now names its mode: 0755 the binary, 0640 the
// configuration (its group, syncd, reads it), 0644 the rest.
func TestPackagedFilesHaveTheirModes(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../packaging/nfpm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Contents []struct {
			Src, Dst, Type string
			FileInfo       struct{ Mode *uint32 } `yaml:"file_info"`
		}
	}
	if err := yaml.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	want := func(dst string) uint32 {
		switch dst {
		case "/usr/bin/syncd":
			return 0o755
		case "/etc/syncd/syncd.yaml":
			return 0o640
		}
		return 0o644
	}
	for _, c := range pkg.Contents {
		if c.Src == "" || c.Type == "dir" {
			continue
		}
		switch m := c.FileInfo.Mode; {
		case m == nil:
			t.Errorf("packaging/nfpm.yaml: %s -> %s gives no file_info mode: it takes the checkout's, 0664 under umask 002; want %04o",
				c.Src, c.Dst, want(c.Dst))
		case *m != want(c.Dst):
			t.Errorf("packaging/nfpm.yaml: %s -> %s mode %04o, want %04o", c.Src, c.Dst, *m, want(c.Dst))
		}
	}
}
