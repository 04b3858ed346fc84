package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// setupWayOut is the line `syncd crm setup` adds to an error of a call
// that did not get through to the account (no answer, a token refused, the
// CRM failing or its limit spent, an address that is not its API): what
// went wrong said plainly and what to do, as `crm check` words it; a
// token of another account than the pinned one, with the way out. It is
// "" for other errors: a 403 names its scope already, and a refusal of
// what setup asked to create is in the CRM's own words.
func setupWayOut(adapter any, err error) string {
	var ce *syncd.CRMError
	if errors.As(err, &ce) && ce.Code == syncd.CodeWrongAccount {
		// The account was read, and is another than the pinned one: the
		// message says both and the way out. Before, its lack of a status
		// was taken for no answer: "no answer from HubSpot (…): check
		// crm.hubspot.base_url and the network".
		return "syncd crm setup: " + ce.Message
	}
	if !errors.As(err, &ce) || !unreachedAccount(ce) {
		return ""
	}
	problem, fix := readFailure(adapter, err)
	return fmt.Sprintf("syncd crm setup: %s: %s", problem,
		strings.ReplaceAll(fix, "run the check again", "run `syncd crm setup` again"))
}

// unreachedAccount reports whether ce says nothing of the account's setup:
// the call had no answer, or one of the CRM's or the token's, not of what
// was asked.
func unreachedAccount(ce *syncd.CRMError) bool {
	switch {
	case ce.Status == 0, ce.Code == "BAD_JSON", ce.Class == syncd.ErrDailyLimit:
		return true
	case ce.Status == http.StatusUnauthorized, ce.Status == http.StatusNotFound, ce.Status == http.StatusTooManyRequests:
		return true
	}
	return ce.Status >= 500
}
