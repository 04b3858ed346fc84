package mapping

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const oneRule = "rules:\n  - name: a\n    source: eaf\n    event: email_lead\n    contact:\n      email: contact_email\n"

// writeDir makes a mapping directory holding files (name -> content).
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestLoadSkipsEditorsHiddenFiles: what editors and file managers leave
// beside the file being edited, hidden, is no mapping: Emacs's lock
// (.#a.yaml, a symbolic link to nowhere), macOS's AppleDouble metadata
// copied with a file (._a.yaml), a hidden copy. Before, Load read them:
// the lock made every load (and a reload while the file was open) fail
// with "open .#a.yaml: no such file or directory", and a copy's rules
// clashed with the file's own.
func TestLoadSkipsEditorsHiddenFiles(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"a.yaml":   oneRule,
		"._a.yaml": "\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ",
		".a.yaml":  oneRule,
	})
	if err := os.Symlink("operator@host.4242:1700000000", filepath.Join(dir, ".#a.yaml")); err != nil {
		t.Fatal(err)
	}
	r, err := Load(dir, "hubspot")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if fs := r.Files(); len(fs) != 1 || fs[0].Name != filepath.Base(dir)+"/a.yaml" || r.Len() != 1 {
		t.Fatalf("loaded %+v, %d rules; want a.yaml's one rule", fs, r.Len())
	}
	if ws := r.Warnings(); len(ws) != 0 {
		t.Fatalf("warnings for hidden files: %v", ws)
	}
}

// TestLoadWarnsOfFilesItDoesNotLoad: a mapping saved by Notepad as
// eaf.yaml.txt, copied from Windows as EAF.YAML, or put in a sub-folder
// was silently not loaded, its leads ignored; now each such name (and a
// backup copy left beside the real file) is warned of, as validate prints
// and serve logs. Files that are no mapping by name are not.
func TestLoadWarnsOfFilesItDoesNotLoad(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"a.yaml": oneRule, "B.YAML": oneRule, "b.yaml.txt": oneRule, "a.yaml.bak": oneRule,
		"a.yaml~": oneRule, "a.yaml.orig": oneRule, "notes.txt": "what we changed", "README.md": "#",
	})
	if err := os.Mkdir(filepath.Join(dir, "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := Load(dir, "hubspot")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	base := filepath.Base(dir) + "/"
	want := []string{
		base + "B.YAML: not loaded: only files ending in .yaml or .yml (lower case) are mapping files",
		base + "a.yaml.bak: not loaded: a backup copy, by its name: move it out of the mapping folder (to load it instead, rename it to end in .yaml)",
		base + "a.yaml.orig: not loaded: a backup copy, by its name: move it out of the mapping folder (to load it instead, rename it to end in .yaml)",
		base + "a.yaml~: not loaded: a backup copy, by its name: move it out of the mapping folder (to load it instead, rename it to end in .yaml)",
		base + "b.yaml.txt: not loaded: only files ending in .yaml or .yml (lower case) are mapping files",
		base + "old: not loaded: a folder (mapping files must be directly in the mapping directory)",
	}
	var got []string
	for _, w := range r.Warnings() {
		got = append(got, w.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLoadSaysWhatTheUpgradeLeftBesideAMapping: the Debian package's
// mapping files are conffiles. An upgrade that ships a changed eaf.yaml
// (the shipped files came to read the flat message through htmlToText)
// keeps an operator's edited copy and puts the package's beside it as
// eaf.yaml.dpkg-dist, silently under apt-get -y or unattended-upgrades
// (tried: dpkg -i of the newer .deb in a throwaway root); told to take the
// package's, dpkg keeps theirs as eaf.yaml.dpkg-old. validate and the
// daemon's log said only "only files ending in .yaml or .yml (lower case)
// are mapping files", which neither says that the shipped file changed
// nor what to do. Each now says what the file is, with the diff to run.
func TestLoadSaysWhatTheUpgradeLeftBesideAMapping(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"eaf.yaml": oneRule, "eaf.yaml.dpkg-dist": oneRule, "lokalebasen.yaml.dpkg-old": oneRule, "b.yml.dpkg-new": oneRule,
		"notes.dpkg-dist": "",
	})
	r, err := Load(dir, "hubspot")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	base := filepath.Base(dir) + "/"
	want := []string{
		base + "b.yml.dpkg-new: not loaded: the package's new b.yml, not yet in place: an upgrade of the package did not finish (dpkg --configure -a finishes it)",
		base + "eaf.yaml.dpkg-dist: not loaded: the package's new eaf.yaml, which an upgrade put beside yours because you had edited it: see what it changes with diff -u " +
			filepath.Join(dir, "eaf.yaml") + " " + filepath.Join(dir, "eaf.yaml.dpkg-dist") + ", take what you want of it into eaf.yaml, then remove eaf.yaml.dpkg-dist",
		base + "lokalebasen.yaml.dpkg-old: not loaded: your edited lokalebasen.yaml, kept when an upgrade put the package's new one in its place: see what you had changed with diff -u " +
			filepath.Join(dir, "lokalebasen.yaml") + " " + filepath.Join(dir, "lokalebasen.yaml.dpkg-old") + ", take it into lokalebasen.yaml again if you still want it, then remove lokalebasen.yaml.dpkg-old",
	}
	var got []string
	for _, w := range r.Warnings() {
		got = append(got, w.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLoadWithNoMappingFileNamesThoseNotLoaded: with every file saved by
// Notepad as *.yaml.txt, the daemon refused to start with only "no
// *.yaml files in DIR"; the error now names them, as warnings would.
func TestLoadWithNoMappingFileNamesThoseNotLoaded(t *testing.T) {
	dir := writeDir(t, map[string]string{"eaf.yaml.txt": oneRule, "lokalebasen.YAML": oneRule, "notes.txt": ""})
	_, err := Load(dir, "hubspot")
	want := "load mappings: no *.yaml files in " + dir + " (not loaded: eaf.yaml.txt, lokalebasen.YAML: only files ending in .yaml or .yml (lower case), directly in the folder, are mapping files)"
	if err == nil || err.Error() != want {
		t.Fatalf("Load: %v\nwant %s", err, want)
	}
}

// TestFingerprintIsWhatLoadLoaded: the files and hashes Fingerprint gives
// are those of the rules Load makes from the same folder, so that a
// daemon's loaded files compare with those on disk; an editor's backup
// (a.yaml~, a.yaml.bak) or swap file (.a.yaml.swp) beside them is none,
// and an edit changes the file's hash alone.
func TestFingerprintIsWhatLoadLoaded(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"a.yaml": oneRule, "b.yml": strings.Replace(oneRule, "name: a", "name: b", 1),
		"a.yaml~": oneRule + "# old\n", "a.yaml.bak": oneRule, ".a.yaml.swp": "b0VIM 9.0",
	})
	r, err := Load(dir, "hubspot")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	fp, err := Fingerprint(dir)
	if err != nil {
		t.Fatalf("Fingerprint: %v", err)
	}
	if got, want := fmt.Sprint(fp), fmt.Sprint(r.Files()); got != want || len(fp) != 2 {
		t.Fatalf("Fingerprint %s\nwant what Load loaded, %s", got, want)
	}
	os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(oneRule+"# edited\n"), 0o644)
	edited, _ := Fingerprint(dir)
	if edited[0].Hash == fp[0].Hash || edited[1] != fp[1] {
		t.Fatalf("after an edit of a.yaml: %v, before %v", edited, fp)
	}
	if _, err := Fingerprint(filepath.Join(dir, "gone")); err == nil {
		t.Fatal("Fingerprint of a folder that is not there: no error")
	}
}
