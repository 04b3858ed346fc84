package syncd

import (
	"errors"
	"fmt"
)

// Error codes of domain errors. Each maps to one HTTP status in one place
// (the webhook receiver) and to one exit status in the command line.
const (
	ENotFound     = "not_found"
	EUnauthorized = "unauthorized"
	EInvalid      = "invalid"
	ETooLarge     = "too_large"
	EUnavailable  = "unavailable"
	EInternal     = "internal"
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
