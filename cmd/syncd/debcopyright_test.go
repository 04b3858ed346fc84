package main_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// debCopyright is the package's /usr/share/doc/syncd/copyright, and
// debChangelog (gzipped: debChangelogGz) its /usr/share/doc/syncd/changelog.gz.
const (
	debCopyright   = "../../packaging/copyright"
	debChangelog   = "../../packaging/changelog"
	debChangelogGz = "../../packaging/changelog.gz"
)

// TestDebianCopyrightIsCurrent: lintian failed the .deb with
// no-copyright-file. /usr/bin/syncd links every Go module it imports
// statically, so the package's copyright file (Debian's DEP-5 format)
// names syncd's own licence and, for each module compiled into the binary
// (go list -deps of ./cmd/syncd, built as the package is: linux/amd64,
// cgo), its copyright and licence read from its licence file in the module
// cache, with the licence files of the compiled packages' own directories
// (code a module copied from another project), the Go files whose
// SPDX-License-Identifier names another licence than their module's, the C
// files put in the public domain (SQLite), and the Go standard library.
// A dependency added, removed or upgraded fails here until the file is
// made again: go test ./cmd/syncd -run TestDebianCopyrightIsCurrent -update
// (which also gzips packaging/changelog to packaging/changelog.gz, the
// package's changelog, checked here to be that file).
func TestDebianCopyrightIsCurrent(t *testing.T) {
	t.Parallel()
	want, err := debianCopyright()
	if err != nil {
		t.Fatal(err)
	}
	changelog, err := os.ReadFile(debChangelog)
	if err != nil {
		t.Fatal(err)
	}
	if *updateMan { // the package's -update flag (manpage_test.go)
		if err := os.WriteFile(debCopyright, want, 0o644); err != nil {
			t.Fatal(err)
		}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression) // no name, no time: gzip -9n
		if _, err := zw.Write(changelog); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(debChangelogGz, gz.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(debCopyright)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s does not name the modules compiled into syncd as they are: go test ./cmd/syncd -run TestDebianCopyrightIsCurrent -update", debCopyright)
	}
	gzf, err := os.Open(debChangelogGz)
	if err != nil {
		t.Fatal(err)
	}
	defer gzf.Close()
	zr, err := gzip.NewReader(gzf)
	if err != nil {
		t.Fatalf("%s: %v", debChangelogGz, err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", debChangelogGz, err)
	}
	if !bytes.Equal(unzipped, changelog) || zr.Header.Name != "" || !zr.Header.ModTime.IsZero() {
		t.Errorf("%s is not packaging/changelog gzipped without name nor time: go test ./cmd/syncd -run TestDebianCopyrightIsCurrent -update", debChangelogGz)
	}
}

// syncdLicence is syncd's own licence, in the copyright file's words.
const syncdLicence = `License: Proprietary
 syncd is not free software: its licence is proprietary, and its terms
 are not part of this package. Ask the syncd developers for them.`

// A compiledPkg is one package go list -deps says the binary is built from.
type compiledPkg struct {
	module, version, moduleDir, dir string
	goFiles, cFiles                 []string
}

// A copyrightPara is one Files paragraph of the copyright file.
type copyrightPara struct {
	files, copyright, licence, comment string
}

// debianCopyright makes the package's copyright file.
func debianCopyright() ([]byte, error) {
	raw, err := os.ReadFile("../../packaging/nfpm.yaml")
	if err != nil {
		return nil, err
	}
	var pkg struct{ Maintainer, Homepage string }
	if err := yaml.Unmarshal(raw, &pkg); err != nil {
		return nil, err
	}
	cmd := exec.Command("go", "list", "-deps", "-f",
		`{{if .Module}}{{if not .Module.Main}}{{.Module.Path}}|{{.Module.Version}}|{{.Module.Dir}}|{{.Dir}}|{{join .GoFiles ","}}|{{join .CFiles ","}},{{join .HFiles ","}}{{end}}{{end}}`, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "GOOS=linux", "GOARCH=amd64", "GOFLAGS=-mod=readonly")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	byModule := map[string][]compiledPkg{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 6 {
			return nil, fmt.Errorf("go list: %q", line)
		}
		p := compiledPkg{module: f[0], version: f[1], moduleDir: f[2], dir: f[3], goFiles: splitList(f[4]), cFiles: splitList(f[5])}
		byModule[p.module] = append(byModule[p.module], p)
	}
	modules := make([]string, 0, len(byModule))
	for m := range byModule {
		modules = append(modules, m)
	}
	sort.Strings(modules)

	var paras []copyrightPara
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOROOT: %w", err)
	}
	std, err := licencePara("go/src/*", filepath.Join(strings.TrimSpace(string(goroot)), "LICENSE"), nil)
	if err != nil {
		return nil, err
	}
	std.comment = "The Go standard library and runtime, from the Go toolchain that builds syncd."
	paras = append(paras, std)
	for _, m := range modules {
		ps, err := moduleParas(m, byModule[m])
		if err != nil {
			return nil, err
		}
		paras = append(paras, ps...)
	}

	var b strings.Builder
	b.WriteString("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n")
	b.WriteString("Upstream-Name: syncd\n")
	fmt.Fprintf(&b, "Upstream-Contact: %s\n", pkg.Maintainer)
	fmt.Fprintf(&b, "Source: %s\n", pkg.Homepage)
	b.WriteString(field("Comment", "/usr/bin/syncd is linked statically with the Go standard library and "+
		"the Go modules below, each compiled into it from the version its Comment names. Their Files "+
		"patterns name them by Go module path (go/src/* is the standard library). Made by go test "+
		"./cmd/syncd -run TestDebianCopyrightIsCurrent -update from the module graph (go list -deps "+
		"./cmd/syncd) and each module's licence files: do not edit by hand."))
	b.WriteString("\nFiles: *\n")
	fmt.Fprintf(&b, "Copyright: %s\n", strings.TrimSpace(strings.Split(pkg.Maintainer, "<")[0]))
	b.WriteString(syncdLicence + "\n")
	for _, p := range paras {
		fmt.Fprintf(&b, "\nFiles: %s\n", p.files)
		b.WriteString(field("Copyright", p.copyright))
		b.WriteString(p.licence)
		if p.comment != "" {
			b.WriteString(field("Comment", p.comment))
		}
	}
	return []byte(b.String()), nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// licenceFileName is the name of a licence file of a module or directory.
var licenceFileName = regexp.MustCompile(`(?i)^(licen[cs]e|copying)(\.txt|\.md)?$`)

// licenceFiles lists dir's licence files.
func licenceFiles(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if !e.IsDir() && licenceFileName.MatchString(e.Name()) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out
}

// moduleParas makes the paragraphs of one module: its own licence, the
// licence files of its compiled packages' directories, the Go files of
// another SPDX licence, and the public-domain C files.
func moduleParas(module string, pkgs []compiledPkg) ([]copyrightPara, error) {
	root := pkgs[0].moduleDir
	version := pkgs[0].version
	files := licenceFiles(root)
	if len(files) != 1 {
		return nil, fmt.Errorf("module %s: want one licence file in %s, found %d", module, root, len(files))
	}
	var compiled []string
	for _, p := range pkgs {
		rel, _ := filepath.Rel(root, p.dir)
		compiled = append(compiled, filepath.ToSlash(rel))
	}
	main, err := licencePara(module+"/*", files[0], compiled)
	if err != nil {
		return nil, err
	}
	main.comment = "Go module " + module + " " + version + "." + main.comment
	if notice, err := os.ReadFile(filepath.Join(root, "NOTICE")); err == nil {
		main.comment += "\nIts NOTICE file:\n" + strings.TrimSpace(string(notice))
		if strings.HasPrefix(main.copyright, "the authors of ") {
			var holders []string
			for _, m := range copyrightLine.FindAllStringSubmatch(string(notice), -1) {
				holders = append(holders, strings.TrimSpace(m[1]+m[2]))
			}
			if len(holders) > 0 {
				main.copyright = strings.Join(holders, "\n")
			}
		}
	}
	paras := []copyrightPara{main}

	// Directories under the module root with a licence file of their own.
	subs := map[string]bool{}
	for _, p := range pkgs {
		for d := p.dir; d != root && strings.HasPrefix(d, root+string(filepath.Separator)); d = filepath.Dir(d) {
			for _, f := range licenceFiles(d) {
				subs[f] = true
			}
		}
	}
	for _, f := range sortedKeys(subs) {
		rel, _ := filepath.Rel(root, filepath.Dir(f))
		p, err := licencePara(module+"/"+filepath.ToSlash(rel)+"/*", f, nil)
		if err != nil {
			return nil, err
		}
		paras = append(paras, p)
	}

	// Go files whose SPDX-License-Identifier is not the module's licence.
	type spdxGroup struct {
		ids       string
		files     []string
		copyright map[string]bool
	}
	groups := map[string]*spdxGroup{}
	for _, p := range pkgs {
		for _, name := range p.goFiles {
			path := filepath.Join(p.dir, name)
			src, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			m := spdxID.FindSubmatch(src)
			if m == nil {
				continue
			}
			ids := strings.TrimSpace(string(m[1]))
			short, err := debianLicenceExpr(ids)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			if short == main.short() {
				continue
			}
			g := groups[ids]
			if g == nil {
				g = &spdxGroup{ids: ids, copyright: map[string]bool{}}
				groups[ids] = g
			}
			rel, _ := filepath.Rel(root, path)
			g.files = append(g.files, module+"/"+filepath.ToSlash(rel))
			for _, c := range spdxCopyright.FindAllSubmatch(src, -1) {
				g.copyright[strings.TrimSpace(string(c[1]))] = true
			}
		}
	}
	for _, ids := range sortedKeys(groups) {
		g := groups[ids]
		short, _ := debianLicenceExpr(ids)
		var texts []string
		for _, id := range strings.Split(ids, " AND ") {
			text, err := os.ReadFile(filepath.Join(root, "LICENSES", strings.TrimSpace(id)+".txt"))
			if err != nil {
				return nil, fmt.Errorf("module %s: files under %s name no text for it: %w", module, ids, err)
			}
			texts = append(texts, strings.TrimSpace(string(text)))
		}
		sort.Strings(g.files)
		paras = append(paras, copyrightPara{
			files:     strings.Join(g.files, "\n "),
			copyright: strings.Join(sortedKeys(g.copyright), "\n"),
			licence:   field("License", short+"\n"+strings.Join(texts, "\n\n")),
			comment:   "SPDX-License-Identifier: " + ids + "; the texts are the module's LICENSES/.",
		})
	}

	// C files in the public domain (the SQLite amalgamation).
	var pd []string
	for _, p := range pkgs {
		for _, name := range p.cFiles {
			src, err := os.ReadFile(filepath.Join(p.dir, name))
			if err != nil {
				return nil, err
			}
			if bytes.Contains(src, []byte(publicDomainMark)) {
				rel, _ := filepath.Rel(root, filepath.Join(p.dir, name))
				pd = append(pd, module+"/"+filepath.ToSlash(rel))
			}
		}
	}
	if len(pd) > 0 {
		sort.Strings(pd)
		paras = append(paras, copyrightPara{
			files:     strings.Join(pd, "\n "),
			copyright: "none: the authors disclaim copyright",
			licence: field("License", "public-domain\n"+publicDomainMark+" In place of\n"+
				"a legal notice, here is a blessing:\n\n"+
				"May you do good and not evil.\n"+
				"May you find forgiveness for yourself and forgive others.\n"+
				"May you share freely, never taking more than you give."),
			comment: "SQLite, compiled into syncd through cgo.",
		})
	}
	return paras, nil
}

const publicDomainMark = "The author disclaims copyright to this source code."

var (
	spdxID        = regexp.MustCompile(`SPDX-License-Identifier:\s*([^\n*]+)`)
	spdxCopyright = regexp.MustCompile(`SPDX-FileCopyrightText:\s*(?:Copyright\s*)?(?:\(c\)\s*)?([^\n]+)`)
	// copyrightLine is a licence file's line naming a copyright holder.
	copyrightLine = regexp.MustCompile(`(?mi)^\s*copyright\s+(?:(?:\(c\)|©)\s*(.+)|(\d.+))$`)
	// otherSections is where a licence file gives other licences to other
	// directories of its module (klauspost/compress's "Files: gzhttp/*").
	otherSections = regexp.MustCompile(`(?m)^-{3,}\s*$`)
	otherFiles    = regexp.MustCompile(`(?m)^Files:\s*(\S+)`)
)

// short is the licence's short name (the first line of its License field).
func (p copyrightPara) short() string {
	return strings.TrimSpace(strings.SplitN(strings.TrimPrefix(p.licence, "License:"), "\n", 2)[0])
}

// licencePara makes the paragraph of the files that licence file covers:
// the copyright lines it names and its licence, by its text; Apache-2.0 and
// MPL-2.0 refer to /usr/share/common-licenses, the others are given whole.
// compiled lists the directories of the packages compiled into syncd,
// relative to the licence file's.
func licencePara(files, licenceFile string, compiled []string) (copyrightPara, error) {
	raw, err := os.ReadFile(licenceFile)
	if err != nil {
		return copyrightPara{}, err
	}
	text := strings.TrimSpace(strings.ReplaceAll(string(raw), "\r\n", "\n"))
	comment := ""
	if loc := otherSections.FindStringIndex(text); loc != nil && otherFiles.MatchString(text[loc[1]:]) {
		var dirs []string
		for _, m := range otherFiles.FindAllStringSubmatch(text[loc[1]:], -1) {
			dirs = append(dirs, m[1])
		}
		text = strings.TrimSpace(text[:loc[0]])
		comment = " Its " + filepath.Base(licenceFile) + " gives other licences to " + strings.Join(dirs, ", ") +
			", none of which is compiled into syncd (TestDebianCopyrightIsCurrent checks it)."
		for _, c := range compiled {
			for _, d := range dirs {
				if strings.HasPrefix(c+"/", strings.TrimSuffix(d, "*")) {
					return copyrightPara{}, fmt.Errorf("%s: compiled into syncd, %s gives it another licence: name it in the copyright file", c, licenceFile)
				}
			}
		}
	}
	short, err := licenceOf(text)
	if err != nil {
		return copyrightPara{}, fmt.Errorf("%s: %w", licenceFile, err)
	}
	var holders []string
	for _, m := range copyrightLine.FindAllStringSubmatch(text, -1) {
		holders = append(holders, strings.TrimSpace(m[1]+m[2]))
	}
	if len(holders) == 0 {
		holders = []string{"the authors of " + strings.TrimSuffix(files, "/*") + " (its licence file names none)"}
	}
	var licence string
	switch short {
	case "Apache-2.0", "MPL-2.0":
		licence = field("License", short+"\nOn Debian systems the full text of the licence is in\n/usr/share/common-licenses/"+short+".")
	default:
		licence = field("License", short+"\n"+text)
	}
	return copyrightPara{files: files, copyright: strings.Join(holders, "\n"), licence: licence, comment: comment}, nil
}

// licenceOf names a licence text by Debian's short name (DEP-5); a text it
// does not know fails, to be added here by a person who has read it.
func licenceOf(text string) (string, error) {
	has := func(s string) bool { return strings.Contains(strings.Join(strings.Fields(text), " "), s) }
	switch {
	case has("Apache License") && has("Version 2.0"):
		return "Apache-2.0", nil
	case has("Mozilla Public License") && (has("version 2.0") || has("Version 2.0")):
		return "MPL-2.0", nil
	case has("Permission is hereby granted, free of charge"):
		return "Expat", nil
	case has("Redistribution and use in source and binary forms") && has("Neither the name"):
		return "BSD-3-clause", nil
	case has("Redistribution and use in source and binary forms"):
		return "BSD-2-clause", nil
	case has("Permission to use, copy, modify, and/or distribute"):
		return "ISC", nil
	}
	return "", fmt.Errorf("a licence TestDebianCopyrightIsCurrent does not know: read it, and add it to licenceOf")
}

// debianLicenceExpr turns an SPDX expression of AND-ed identifiers into
// Debian's short names.
func debianLicenceExpr(ids string) (string, error) {
	names := map[string]string{"MIT": "Expat", "BSD-3-Clause": "BSD-3-clause", "BSD-2-Clause": "BSD-2-clause",
		"Apache-2.0": "Apache-2.0", "MPL-2.0": "MPL-2.0", "ISC": "ISC"}
	var out []string
	for _, id := range strings.Split(ids, " AND ") {
		n, ok := names[strings.TrimSpace(id)]
		if !ok {
			return "", fmt.Errorf("SPDX licence %q: add it to debianLicenceExpr", id)
		}
		out = append(out, n)
	}
	return strings.Join(out, " and "), nil
}

// field writes a DEP-5 field: its first line after the name, the others
// indented by one space, an empty line as " .".
func field(name, value string) string {
	lines := strings.Split(strings.TrimSpace(value), "\n")
	var b strings.Builder
	b.WriteString(name + ":")
	if lines[0] != "" {
		b.WriteString(" " + strings.TrimRight(lines[0], " \t"))
	}
	b.WriteString("\n")
	for _, l := range lines[1:] {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			l = "."
		}
		b.WriteString(" " + l + "\n")
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
