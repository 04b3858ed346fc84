package mapping

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads every *.yaml and *.yml file in dir (in name order) as mapping
// rules for the CRM target (e.g. "hubspot"), except hidden ones (editors'
// locks and swap files, macOS metadata: .#x.yaml, ._x.yaml). It reports
// every problem it finds, as LoadErrors, not just the first; what looks
// meant as a mapping but is not loaded (EAF.YAML, eaf.yaml.txt, a folder)
// is among the Warnings. Each operation a rule makes names its file as
// "<base of dir>/<file>".
func Load(dir, target string, opts ...Option) (*Rules, error) {
	files, notLoaded, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 && len(notLoaded) > 0 {
		var names []string // of notLoaded, as in dir
		for _, e := range notLoaded {
			names = append(names, strings.TrimPrefix(e.File, filepath.Base(dir)+"/"))
		}
		return nil, fmt.Errorf("load mappings: no *.yaml files in %s (not loaded: %s: only files ending in .yaml or .yml (lower case), directly in the folder, are mapping files)",
			dir, strings.Join(names, ", "))
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("load mappings: no *.yaml files in %s", dir)
	}
	rs, err := build(target, files, opts)
	if err != nil {
		return nil, err
	}
	rs.notLoaded = notLoaded
	return rs, nil
}

// Fingerprint lists the files Load reads in dir, in the same order and
// named as Load names them, each with the SHA-256 of its content (as
// Rules.Files and each operation's MappingHash give it), without parsing
// them: compared with the Files of the rules a daemon loaded, it says
// whether the mappings were edited, added or removed since. What Load
// skips (hidden files: editors' swap files and locks) or does not load
// (an editor's backup, eaf.yaml~) is left out, so it is no change.
func Fingerprint(dir string) ([]File, error) {
	files, _, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	out := make([]File, len(files))
	for i, f := range files {
		h := hashOf(f.data)
		out[i] = File{Name: f.name, Hash: h, Meaning: meaningOf(f.data, h)}
	}
	return out, nil
}

// meaningOf is File.Meaning of a mapping file's content data: the hex
// SHA-256 of its YAML documents read as data and written as JSON (keys
// sorted, anchors resolved, comments gone), or hash, its Hash, when it
// does not read so.
func meaningOf(data []byte, hash string) string {
	var docs []any
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return hash
		}
		docs = append(docs, doc)
	}
	b, err := json.Marshal(docs)
	if err != nil { // a key that is no text: no JSON of it
		return hash
	}
	return hashOf(b)
}

// hashOf is the hex SHA-256 of a mapping file's content.
func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// readDir reads the mapping files of dir in name order, and names what
// looks meant as one but is not loaded, with why.
//
// A folder that is a symbolic link is read through the folder it names
// as the read starts, so that one that config management points at a new
// release's folder meanwhile gives every file from one release. Files
// are named, and errors name them, through dir.
func readDir(dir string) (files []file, notLoaded LoadErrors, err error) {
	from, err := filepath.EvalSymlinks(dir)
	if err != nil {
		from = dir // reading it says what is wrong
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		return nil, nil, fmt.Errorf("load mappings: %w", asIn(err, from, dir))
	}
	for _, e := range entries {
		name := filepath.Base(dir) + "/" + e.Name()
		load, why := isMappingFile(e)
		if left := packageLeft(dir, e.Name()); left != "" {
			load, why = false, left
		}
		if why != "" {
			notLoaded = append(notLoaded, &LoadError{File: name, Msg: "not loaded: " + why})
		}
		if !load {
			continue
		}
		data, err := readAtMost(filepath.Join(from, e.Name()), maxFileBytes+1)
		if err != nil {
			return nil, nil, fmt.Errorf("load mappings: %w", asIn(err, from, dir))
		}
		f := file{name: name, data: data}
		if len(data) > maxFileBytes {
			f.tooBig = tooBig(filepath.Join(from, e.Name()), data)
		}
		files = append(files, f)
	}
	return files, notLoaded, nil
}

// asIn is err, a file's error under the folder from, as one under dir,
// the folder as configured, which from is the target of.
func asIn(err error, from, dir string) error {
	var pe *fs.PathError
	if from == dir || !errors.As(err, &pe) {
		return err
	}
	if rel, rerr := filepath.Rel(from, pe.Path); rerr == nil && !strings.HasPrefix(rel, "..") {
		return &fs.PathError{Op: pe.Op, Path: filepath.Join(dir, rel), Err: pe.Err}
	}
	return err
}

// maxFileBytes is the most a mapping file may hold. A mapping file is a
// few kilobytes; one of megabytes (a log or an export saved as .yaml) took
// some 60 times its size in memory to parse, at every reload.
const maxFileBytes = 1 << 20

// readAtMost reads up to n bytes of the file at path: one longer is not
// read whole to be refused.
func readAtMost(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

// tooBig says that the file at path, of which data was read (up to
// maxFileBytes+1 bytes), is larger than a mapping file, with its size.
func tooBig(path string, data []byte) string {
	size := int64(len(data))
	if st, err := os.Stat(path); err == nil {
		size = st.Size()
	}
	return fmt.Sprintf("%.1f MB, where a mapping file is a few kilobytes (at most %d MB): is it a mapping? Move it out of the mapping folder",
		float64(size)/1e6, maxFileBytes>>20)
}

// twice says what to do about rule ru named as prev, one before it: a
// copy of a file (eaf copy.yaml, eaf.old.yaml) loads as well as the file.
func twice(prev, ru *rule) string {
	first, second := path.Base(prev.file), path.Base(ru.file)
	switch {
	case prev.file == ru.file:
		return "a rule's name is its own in the whole folder: rename one"
	case prev.hash == ru.hash:
		// which is the copy is not known: name order put eaf copy.yaml first
		return fmt.Sprintf("this file and %s are the same, and every .yaml and .yml file in the folder loads: move the copy out of the mapping folder", first)
	}
	return fmt.Sprintf("a rule's name is its own in the whole folder: rename one, or, if %s is an old copy of %s, move it out of the mapping folder",
		second, first)
}

// packageLeft says what the file named name in the mapping folder dir is
// when dpkg left it beside the mapping it is a version of (the Debian
// package's mapping files are conffiles), with what to do; "" for any
// other name. An upgrade that ships a changed mapping file the operator
// had edited keeps theirs and puts the package's beside it as
// eaf.yaml.dpkg-dist, or, if told to take the package's, keeps theirs as
// eaf.yaml.dpkg-old; nothing else says that the shipped file changed.
func packageLeft(dir, name string) string {
	for _, end := range []string{".dpkg-dist", ".dpkg-old", ".dpkg-new"} {
		mapping, ok := strings.CutSuffix(name, end)
		if !ok || (filepath.Ext(mapping) != ".yaml" && filepath.Ext(mapping) != ".yml") {
			continue
		}
		mine, theirs := filepath.Join(dir, mapping), filepath.Join(dir, name)
		switch end {
		case ".dpkg-dist":
			return fmt.Sprintf("the package's new %s, which an upgrade put beside yours because you had edited it: "+
				"see what it changes with diff -u %s %s, take what you want of it into %s, then remove %s", mapping, mine, theirs, mapping, name)
		case ".dpkg-old":
			return fmt.Sprintf("your edited %s, kept when an upgrade put the package's new one in its place: "+
				"see what you had changed with diff -u %s %s, take it into %s again if you still want it, then remove %s", mapping, mine, theirs, mapping, name)
		}
		return fmt.Sprintf("the package's new %s, not yet in place: an upgrade of the package did not finish (dpkg --configure -a finishes it)", mapping)
	}
	return ""
}

// backupEnds are how editors and people name a file's backup copy.
var backupEnds = []string{"~", ".bak", ".orig", ".old", ".backup", ".save", ".sav", ".tmp"}

// isMappingFile says whether the entry e of a mapping directory is a
// mapping file, and, when it is not but looks meant as one, why not.
func isMappingFile(e os.DirEntry) (load bool, why string) {
	name := e.Name()
	ext, lower := filepath.Ext(name), strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "."): // editors' locks and swap files, macOS's ._ metadata
		return false, ""
	case e.IsDir():
		return false, "a folder (mapping files must be directly in the mapping directory)"
	case ext == ".yaml" || ext == ".yml":
		return true, ""
	case (strings.Contains(lower, ".yaml") || strings.Contains(lower, ".yml")) &&
		slices.ContainsFunc(backupEnds, func(end string) bool { return strings.HasSuffix(lower, end) }):
		return false, "a backup copy, by its name: move it out of the mapping folder (to load it instead, rename it to end in .yaml)"
	case strings.Contains(lower, ".yaml") || strings.Contains(lower, ".yml"):
		return false, "only files ending in .yaml or .yml (lower case) are mapping files"
	}
	return false, ""
}
