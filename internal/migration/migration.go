// Package migration lists the numbered SQL migrations a store embeds.
//
// Each file is named NNNN_what.sql, and its number, not its place in the
// list, is the schema version it brings a database to: numbers may have
// gaps (two changes made at the same time, each numbering its own, land
// in either order), and a database records the versions it reached.
package migration

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// File is one migration: the schema version it brings, and its path in
// the embedded file system.
type File struct {
	Version int
	Path    string
}

// List returns the migrations matching pattern in fsys, by version. A
// file whose name does not begin with its number, or two with one
// number, are refused: either would apply in an order nobody meant.
func List(fsys fs.FS, pattern string) ([]File, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	files := make([]File, 0, len(names))
	for _, name := range names {
		num, _, ok := strings.Cut(path.Base(name), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migrations: %s is not named NNNN_what.sql", name)
		}
		files = append(files, File{Version: v, Path: name})
	}
	slices.SortFunc(files, func(a, b File) int { return cmp.Compare(a.Version, b.Version) })
	for i := 1; i < len(files); i++ {
		if files[i].Version == files[i-1].Version {
			return nil, fmt.Errorf("migrations: %s and %s have one number", files[i-1].Path, files[i].Path)
		}
	}
	return files, nil
}

// Latest is the version the last of files brings: the schema a database
// they all applied to has; 0 when there are none.
func Latest(files []File) int {
	if len(files) == 0 {
		return 0
	}
	return files[len(files)-1].Version
}
