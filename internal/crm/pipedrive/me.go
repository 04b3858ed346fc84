package pipedrive

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// me is what syncd reads of GET /api/v1/users/me: the company, and the
// user's rights, never the user's name or email.
type me struct {
	CompanyID     int64  `json:"company_id"`
	CompanyName   string `json:"company_name"`
	CompanyDomain string `json:"company_domain"`
	TimeZone      string `json:"timezone_name"`
	// IsAdmin is 1 or 0 in older answers [pd-sdk BaseUser], Access the
	// rights per app in newer ones.
	IsAdmin  json.RawMessage `json:"is_admin"`
	Currency string          `json:"default_currency"` // a new deal's when none is sent
	Access   []struct {
		App   string `json:"app"`
		Admin bool   `json:"admin"`
	} `json:"access"`
}

// admin reports whether the user is an admin, and whether the answer said.
func (m me) admin() (admin, known bool) {
	if v := strings.Trim(string(m.IsAdmin), `"`); v != "" && v != "null" {
		return v == "1" || v == "true", true
	}
	for _, acc := range m.Access {
		if acc.App == "global" || acc.App == "sales" {
			admin, known = admin || acc.Admin, true
		}
	}
	return admin, known
}

// readMe reads the token's user (v1 only: v2 has no users endpoint);
// under crm.ReadAccountOnce, once.
func (a *Adapter) readMe(ctx context.Context) (me, error) {
	return crm.ReadAccount(ctx, Name, a.readMeNow)
}

// readMeNow reads the token's user from the CRM.
func (a *Adapter) readMeNow(ctx context.Context) (me, error) {
	var out struct {
		Data me `json:"data"`
	}
	v1 := strings.TrimSuffix(a.opts.BaseURL, "/v2") + "/v1/users/me"
	if _, err := a.do(ctx, crm.Call{Op: "users_me", Method: http.MethodGet, URL: v1}, &out); err != nil {
		return me{}, fmt.Errorf("current user: %w", err)
	}
	return out.Data, nil
}

// Account names the Pipedrive company the token belongs to, from
// GET /api/v1/users/me: its id, domain, name and the user's time zone.
func (a *Adapter) Account(ctx context.Context) (crm.Account, error) {
	m, err := a.readMe(ctx)
	if err != nil {
		return crm.Account{}, err
	}
	domain := m.CompanyDomain
	if domain != "" && !strings.Contains(domain, ".") {
		domain += ".pipedrive.com"
	}
	return crm.Account{IDName: "company", ID: strconv.FormatInt(m.CompanyID, 10), Name: m.CompanyName, Domain: domain, TimeZone: m.TimeZone}, nil
}

// checkUser warns when the token is a regular user's: Pipedrive shows it
// only what its visibility group allows, so a person another user owns is
// missed by the search and made again. It warns too of a deal value
// written without a currency, which takes the user's default currency.
func (a *Adapter) checkUser(ctx context.Context, specs []syncd.FieldSpec) []syncd.Finding {
	m, err := a.readMe(ctx)
	if err != nil { // the value's currency is still warned of: before, this left it out
		return append(checkCurrency(me{}, specs), syncd.Finding{Severity: syncd.SevWarn, Object: "api", Name: "token", Problem: fmt.Sprintf(
			"the token's user cannot be read (%s): whether it sees every person is not known", plainCause(err)), Fix: "run the check again"})
	}
	out := checkCurrency(m, specs)
	if admin, known := m.admin(); admin || !known {
		return out
	}
	return append(out, syncd.Finding{Severity: syncd.SevWarn, Object: "api", Name: "token",
		Problem: "the token's user is not an admin: Pipedrive shows it only the persons and deals its visibility group allows, " +
			"so syncd does not find a person another user owns and creates a second one with the same email",
		Fix: "use an admin user's API token, or give the user's visibility group the entire company (Settings > Manage users > Visibility groups)"})
}

// unseen is the problem and fix of a pipeline or stage (what) the check
// did not find. When the token's user is not an admin, it may be there
// all the same: Pipedrive's lists leave out a pipeline, with its stages,
// that the user's visibility group may not see (docs/crm-contracts.md),
// and writing another one as the fix said would send the leads into
// another team's pipeline. Before, only the fix was said.
func (a *Adapter) unseen(ctx context.Context, what, problem, fix string) (string, string) {
	m, err := a.readMe(ctx)
	if err != nil {
		return problem, fix
	}
	if admin, known := m.admin(); admin || !known {
		return problem, fix
	}
	return problem + "; the token's user is not an admin, and Pipedrive does not show it a pipeline its visibility group may not see",
		"if the " + what + " is in Pipedrive, let the token's user see its pipeline (Settings > Manage users > Visibility groups, " +
			"the group's pipelines) or use an admin user's API token; else " + fix
}

// checkCurrency warns when the mappings write a deal's value but not its
// currency: Pipedrive then gives the deal the token user's default
// currency [pd-sdk], which need not be the one the value is in.
func checkCurrency(m me, specs []syncd.FieldSpec) []syncd.Finding {
	value := specsNamed(specs, "value")
	if len(value) == 0 || len(specsNamed(specs, "currency")) > 0 {
		return nil
	}
	cur := m.Currency
	if cur == "" {
		cur = "not known"
	}
	return []syncd.Finding{{Severity: syncd.SevWarn, Object: "deals", Name: "value", Property: "value",
		Problem: fmt.Sprintf("%s writes a deal value without a currency: Pipedrive gives such deals the default currency of the token's user (%s)", value[0].WhereWritten(), cur),
		Fix:     fmt.Sprintf("write the value's currency too in %s (currency: {const: DKK}, say)", value[0].WhereWritten())}}
}
