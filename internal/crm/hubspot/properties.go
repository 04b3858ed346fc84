package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// property is a HubSpot property definition, as far as the check reads it.
type property struct {
	Name                 string   `json:"name"`
	Label                string   `json:"label"`
	Type                 string   `json:"type"`
	FieldType            string   `json:"fieldType"`
	HasUniqueValue       bool     `json:"hasUniqueValue"`
	Calculated           bool     `json:"calculated"`
	Archived             bool     `json:"archived"`
	Options              []option `json:"options"`
	ModificationMetadata struct {
		ReadOnlyValue bool `json:"readOnlyValue"`
	} `json:"modificationMetadata"`
}

// option is one option of an enumeration property.
type option struct {
	Label string `json:"label"`
	Value string `json:"value"`
	// Hidden: an admin hid the option in HubSpot, which no longer offers
	// it in the property's dropdown.
	Hidden bool `json:"hidden"`
}

// get sends a read and decodes a 200 into v. A non-200 answer is returned
// classified, with its status.
func (a *Adapter) get(ctx context.Context, op, method, path string, body, v any) (int, error) {
	resp, err := a.http.Do(ctx, crm.Call{Op: op, Method: method, Header: a.header(), URL: a.opts.BaseURL + path, Body: body, Safe: true})
	if err != nil {
		return 0, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return resp.Status, a.classifyRead(resp)
	}
	if v == nil {
		return resp.Status, nil
	}
	return resp.Status, crm.DecodeJSON(resp, v)
}

// objectOf is the properties API object of a record kind.
func objectOf(k syncd.RecordKind) string {
	if k == syncd.RecordDeal {
		return "deals"
	}
	return "contacts"
}

// properties lists the object's properties by name.
func (a *Adapter) properties(ctx context.Context, object string) (map[string]property, error) {
	var ans struct {
		Results []property `json:"results"`
	}
	if _, err := a.get(ctx, "properties_list", http.MethodGet, "/crm/v3/properties/"+object, nil, &ans); err != nil {
		return nil, err
	}
	out := make(map[string]property, len(ans.Results))
	for _, p := range ans.Results {
		out[p.Name] = p
	}
	return out, nil
}

// withKeys adds the unique key properties the adapter upserts by, when the
// mappings do not list them.
func (a *Adapter) withKeys(specs []syncd.FieldSpec) []syncd.FieldSpec {
	keys := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: a.opts.DealKeyProperty}}
	if a.opts.ContactKeyProperty != "" {
		keys = append(keys, syncd.FieldSpec{Kind: syncd.RecordContact, Name: a.opts.ContactKeyProperty})
	}
	out := append([]syncd.FieldSpec(nil), specs...)
	for _, k := range keys {
		found := false
		for i := range out {
			if out[i].Kind == k.Kind && out[i].Name == k.Name {
				out[i].Unique, found = true, true
			}
		}
		if !found {
			k.Unique, k.Type, k.Label = true, "string", "syncd key"
			out = append(out, k)
		}
	}
	return out
}

// scopesNeeded are the scopes a sync needs; scopesSetup those `crm setup`
// needs besides.
var (
	scopesNeeded = []string{"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read",
		"crm.objects.deals.write", "crm.schemas.contacts.read", "crm.schemas.deals.read"}
	scopesSetup = []string{"crm.schemas.contacts.write", "crm.schemas.deals.write"}
)

// tokenScopes asks HubSpot which scopes the token has, first as a private
// app token (access-token-info, undocumented but widely used), then as an
// OAuth access token. scopes is nil when neither says, whatever the
// answer (404, 400, even 401: the reads that follow show a refused token
// or a missing scope for certain); err says why then: the first read's
// failure when it is one to try again (syncd.Unread), else the second's.
func (a *Adapter) tokenScopes(ctx context.Context) (scopes []string, err error) {
	var ans struct {
		Scopes []string `json:"scopes"`
	}
	if _, err = a.get(ctx, "token_info", http.MethodPost, "/oauth/v2/private-apps/get/access-token-info",
		map[string]string{"tokenKey": a.currentToken()}, &ans); err == nil {
		return ans.Scopes, nil
	}
	first := err // a private app token's read failing so is what is not known, whatever the OAuth read says
	if _, err = a.get(ctx, "token_info", http.MethodGet, "/oauth/v1/access-tokens/"+a.currentToken(), nil, &ans); err == nil {
		return ans.Scopes, nil
	}
	if syncd.Unread(first) {
		return nil, first
	}
	return nil, err
}

// reloadAfter ends the fix of a token HubSpot refuses: a running daemon
// keeps the old one until a reload, as the pinned account's fix says too.
const reloadAfter = "run the check again, then systemctl reload syncd so that the daemon takes it"

// fail turns an error of a read into a finding.
func fail(object, name string, err error) syncd.Finding {
	problem, fix := readFailure(err)
	f := syncd.Finding{Severity: syncd.SevError, Object: object, Name: name, Problem: problem, Fix: fix, Unread: syncd.Unread(err)}
	var ce *syncd.CRMError
	if !errors.As(err, &ce) {
		return f
	}
	var se *scopeError
	switch {
	case ce.Class == syncd.ErrDailyLimit:
		f.Problem = "HubSpot's daily API limit for the account is spent (" + ce.Code + "), so the check could not read the account"
		f.Fix = "nothing to change in the account: the limit resets at midnight in the account's time zone; run the check again then"
	case ce.Status == http.StatusUnauthorized:
		f.Object, f.Problem, f.Fix = "token", "HubSpot rejects the token ("+ce.Code+")", "set crm.hubspot.token (or token_file) to a valid private app token; "+reloadAfter
	case ce.Status == http.StatusForbidden && errors.As(err, &se):
		sc := strings.Join(se.scopes, " or ")
		f.Problem, f.Fix = "the token lacks scope "+sc+" for this call ("+ce.Code+")", "add scope "+sc+" to the private app (Settings > Integrations > Private apps) and update the token"
	case ce.Status == http.StatusForbidden:
		f.Problem, f.Fix = "the token lacks a scope for this call ("+ce.Code+")", "give the private app the scopes listed by this check and update the token"
	}
	return f
}

// readFailure is a failed read said plainly (crm.ReadFailure).
func readFailure(err error) (problem, fix string) {
	return crm.ReadFailure("HubSpot", "crm.hubspot.base_url", err)
}

// ReadFailure says plainly why a read of the account failed, and what to
// do: for the lines of `syncd crm check` outside the findings.
func (a *Adapter) ReadFailure(err error) (problem, fix string) { return readFailure(err) }

// plainCause is why a read failed, said plainly, for a row or line
// that says what could not be read.
func plainCause(err error) string {
	problem, _ := readFailure(err)
	return problem
}

func errorf(object, name, fix, format string, args ...any) syncd.Finding {
	return syncd.Finding{Severity: syncd.SevError, Object: object, Name: name, Property: name, Problem: fmt.Sprintf(format, args...), Fix: fix}
}
