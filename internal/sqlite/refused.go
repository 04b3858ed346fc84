package sqlite

import (
	"errors"

	"github.com/mattn/go-sqlite3"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// refused marks err as a refusal (syncd.ErrRefused) when SQLite refused
// the data written: a constraint (a trigger's RAISE is one), a value of a
// type a column does not take, a string or blob over SQLite's limit. Any
// other error, a busy or locked database, an I/O error, a full disk, is
// returned as it is: the same write may work later.
func refused(err error) error {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code {
	case sqlite3.ErrConstraint, sqlite3.ErrMismatch, sqlite3.ErrTooBig:
		return syncd.Refusal(err)
	}
	return err
}
