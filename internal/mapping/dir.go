package mapping

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Load reads every *.yaml and *.yml file in dir (in name order) as mapping
// rules for the CRM target (e.g. "hubspot"), except hidden ones (editors'
// locks and swap files, macOS metadata: .#x.yaml, ._x.yaml). It reports
// every problem it finds, as LoadErrors, not just the first; what looks
// meant as a mapping but is not loaded (EAF.YAML, eaf.yaml.txt, a folder)
// is among the Warnings. Each operation a rule makes names its file as
// "<base of dir>/<file>".
func Load(dir, target string, opts ...Option) (*Rules, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load mappings: %w", err)
	}
	var files []file
	var notLoaded LoadErrors
	var names []string // of notLoaded, as in dir
	for _, e := range entries {
		name := filepath.Base(dir) + "/" + e.Name()
		load, why := isMappingFile(e)
		if why != "" {
			notLoaded = append(notLoaded, &LoadError{File: name, Msg: "not loaded: " + why})
			names = append(names, e.Name())
		}
		if !load {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("load mappings: %w", err)
		}
		files = append(files, file{name: name, data: data})
	}
	if len(files) == 0 && len(names) > 0 {
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
	case strings.Contains(lower, ".yaml") || strings.Contains(lower, ".yml"):
		return false, "only files ending in .yaml or .yml (lower case) are mapping files"
	}
	return false, ""
}
