package pipedrive

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/syncd-dev/syncd/internal/crm"
)

// Account names the Pipedrive company the token belongs to, from
// GET /api/v1/users/me (v2 has no users endpoint): its id, domain, name
// and the user's time zone. The user's own name and email are not read.
func (a *Adapter) Account(ctx context.Context) (crm.Account, error) {
	var out struct {
		Data struct {
			CompanyID     int64  `json:"company_id"`
			CompanyName   string `json:"company_name"`
			CompanyDomain string `json:"company_domain"`
			TimeZone      string `json:"timezone_name"`
		} `json:"data"`
	}
	v1 := strings.TrimSuffix(a.opts.BaseURL, "/v2") + "/v1/users/me"
	if _, err := a.do(ctx, crm.Call{Op: "users_me", Method: http.MethodGet, URL: v1}, &out); err != nil {
		return crm.Account{}, fmt.Errorf("current user: %w", err)
	}
	me := out.Data
	domain := me.CompanyDomain
	if domain != "" && !strings.Contains(domain, ".") {
		domain += ".pipedrive.com"
	}
	return crm.Account{IDName: "company", ID: strconv.FormatInt(me.CompanyID, 10), Name: me.CompanyName, Domain: domain, TimeZone: me.TimeZone}, nil
}
