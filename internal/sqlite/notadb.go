package sqlite

import (
	"errors"
	"fmt"

	"github.com/mattn/go-sqlite3"
)

// explainNotADB adds to err, SQLite finding that the file at path is not a
// database (a damaged copy, another file in its place), which file it is
// and what to do; other errors are returned as they are.
func explainNotADB(path string, err error) error {
	var se sqlite3.Error
	if !errors.As(err, &se) || se.Code != sqlite3.ErrNotADB {
		return err
	}
	return fmt.Errorf("%s is not an SQLite database (damaged, or another file in its place): "+
		"restore it from a backup (see Backup in the README, To restore): %w", path, err)
}
