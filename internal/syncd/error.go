package syncd

import (
	"errors"
	"fmt"
)

// Error codes of domain errors. Each maps to one exit status in one place
// (the command line's exitStatuses). The webhook receiver needs no table:
// whatever stops an authenticated delivery from being stored is 503 with
// Retry-After, so that the sender retries (a body that does not parse is
// quarantined, never refused).
const (
	ENotFound    = "not_found"   // no such event, operation or body
	EInvalid     = "invalid"     // the input cannot be used as it is
	EUnavailable = "unavailable" // the store cannot take it now; try again
	EChanged     = "changed"     // what was read is no longer all there is: read again
	EInternal    = "internal"    // anything else
)

// Error is a domain error: a code for machines and a message safe to show.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EInternal
	}
}

// ErrRefused is in the chain of a store's error when the database refused
// the data written: a constraint or a trigger that stands for one, a value
// a column or an index cannot hold. The same write is refused however
// often it is tried. A database that is busy, locked, full, read-only or
// out of reach does not refuse: the same write may work later. Each store
// tells the two apart by the database's own error class, not by its text.
var ErrRefused = errors.New("refused by the database")

// Refusal returns err, its text unchanged, with ErrRefused in its chain.
func Refusal(err error) error {
	if err == nil || errors.Is(err, ErrRefused) {
		return err
	}
	return refusal{err}
}

// refusal is an error the database refused (Refusal).
type refusal struct{ err error }

func (r refusal) Error() string   { return r.err.Error() }
func (r refusal) Unwrap() []error { return []error{r.err, ErrRefused} }
