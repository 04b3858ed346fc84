package hubspot

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// categoryScopes is HubSpot's category of a call refused for a scope the
// private app lacks: a 403's, and, if HubSpot answers so, one input's in a
// batch answer (docs/crm-contracts.md: its spec gives every batch error
// details whose context may list missingScopes; no real answer seen).
const categoryScopes = "MISSING_SCOPES"

// scopeKeys are the names under which HubSpot lists the scopes a refusal
// asks for: requiredGranularScopes in a 403's details (and requiredScopes
// in older ones), missingScopes in the batch error of its spec.
var scopeKeys = []string{"requiredGranularScopes", "requiredScopes", "missingScopes"}

// itemScopes are the scopes a batch error names, in its context or its
// details' contexts; nil when it names none or they cannot be read.
func itemScopes(e batchError) []string {
	var out []string
	for _, k := range scopeKeys {
		out = append(out, e.Context[k]...)
	}
	var details []struct {
		Context map[string]json.RawMessage `json:"context"`
	}
	if json.Unmarshal(e.Errors, &details) != nil {
		return out
	}
	for _, d := range details {
		for _, k := range scopeKeys {
			var l []string
			if json.Unmarshal(d.Context[k], &l) == nil {
				out = append(out, l...)
			}
		}
	}
	return out
}

// callScopes are the scopes a batch call on obj needs, named when a
// MISSING_SCOPES error names none: a write of contacts or deals needs its
// object's write scope, a read ("contacts_read", "deals_read") its read
// scope; an association, the write scopes of both objects (unconfirmed,
// docs/crm-contracts.md).
func callScopes(obj string) string {
	switch obj {
	case "contacts", "deals":
		return "crm.objects." + obj + ".write"
	case "contacts_read", "deals_read":
		return "crm.objects." + strings.TrimSuffix(obj, "_read") + ".read"
	}
	return "crm.objects.deals.write and crm.objects.contacts.write"
}

// scopesItemError is the error of one input a batch answer refused for a
// scope the private app lacks, on obj (as callScopes names the call). It is the account's doing, as a whole call's 403
// MISSING_SCOPES, and gets that 403's error: status 403, class ErrAuth (the
// syncer pauses, "permission refused", until the scope is added), and the
// message naming the scopes to add. Before, each such input was
// dead-lettered as its lead's own fault, lead by lead.
func scopesItemError(e batchError, obj string) *syncd.CRMError {
	msg := e.Message
	if msg == "" {
		msg = "HubSpot refused the record for a scope the private app lacks"
	}
	if scopes := itemScopes(e); len(scopes) > 0 {
		msg = withScopes(msg, scopes)
	} else {
		msg += " (HubSpot named no scope; the call needs " + callScopes(obj) +
			", and a sensitive property its own sensitive scope: add what the private app lacks, " +
			"Settings > Integrations > Private apps)"
	}
	return &syncd.CRMError{Status: http.StatusForbidden, Code: categoryScopes, Class: syncd.ErrAuth, Message: msg}
}
