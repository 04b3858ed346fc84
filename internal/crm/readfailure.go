package crm

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// ReadFailure says, for an operator, why a check's read of the account
// failed (problem) and what to do (fix). who names the CRM ("HubSpot"),
// baseURL its configuration key ("crm.hubspot.base_url"). Before, such a
// row held the error as Go prints it ("crm 0 NETWORK: properties_list:
// Get: context deadline exceeded", "crm 200 BAD_JSON: decode answer:
// invalid character ','") and "look at the CRM's answer", which is
// nowhere to be seen. A refused token, a missing scope and a limit have
// their own rows in the adapters; this is what is left, and a fallback
// for them.
func ReadFailure(who, baseURL string, err error) (problem, fix string) {
	var ce *syncd.CRMError
	if !errors.As(err, &ce) {
		return fmt.Sprintf("the read failed (%v)", err), "run the check again"
	}
	again := "; run the check again"
	switch {
	case ce.Status == 0 && strings.Contains(ce.Message, "deadline exceeded"):
		return "no answer from " + who + " within crm.timeout", "check " + baseURL + " and the network (a firewall or proxy that takes the connection and never answers)" + again
	case ce.Status == 0:
		return "no answer from " + who + " (" + netCause(ce.Message) + ")", "check " + baseURL + " and the network" + again
	case ce.Code == "BAD_JSON":
		return fmt.Sprintf("%s's answer (%d) was not the JSON its API sends", who, ce.Status),
			"check that " + baseURL + " is the CRM's API address, not a proxy's or a web page's" + again
	case ce.Class == syncd.ErrDailyLimit:
		return fmt.Sprintf("%s's daily API limit is spent (%s)", who, statusText(ce)), "nothing to change in the account: the daily API limit resets at midnight; run the check again then"
	case ce.Status == http.StatusTooManyRequests:
		return fmt.Sprintf("%s's rate limit is spent for now (%s)", who, statusText(ce)), LimitFix(err)
	case ce.Status == http.StatusUnauthorized:
		return fmt.Sprintf("%s refuses the token (%s)", who, statusText(ce)), "put a valid token in the configuration" + again
	case ce.Status == http.StatusForbidden:
		return fmt.Sprintf("%s refuses this read to the token (%s)", who, statusText(ce)), "give the token the rights syncd needs (see README, Setting up the CRM account)" + again
	case ce.Status == http.StatusNotFound:
		return fmt.Sprintf("%s answered 404 Not Found", who), "check that " + baseURL + " is the CRM's API address" + again
	case ce.Status >= 500:
		return fmt.Sprintf("%s failed on its side (%s)", who, statusText(ce)),
			"nothing to change in syncd or the account: the CRM (or a proxy before it) failed; run the check again in a few minutes"
	}
	return fmt.Sprintf("%s refused the read (%s: %s)", who, statusText(ce), ce.Message), "run the check again; if it fails the same way, the CRM's message says why"
}

// statusText is an answer's status and the CRM's code for it, e.g.
// "503 Service Unavailable" or "429 TEN_SECONDLY_ROLLING".
func statusText(ce *syncd.CRMError) string {
	if ce.Code != "" && ce.Code != syncd.CodeNetwork {
		return fmt.Sprintf("%d %s", ce.Status, ce.Code)
	}
	return fmt.Sprintf("%d %s", ce.Status, http.StatusText(ce.Status))
}

// netCause is the last part of a network error's message ("connection
// refused", "no such host"), without the operation and address before it.
func netCause(msg string) string {
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	if msg == "" {
		return "no answer"
	}
	return msg
}
