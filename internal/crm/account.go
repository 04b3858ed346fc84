package crm

import (
	"strconv"
	"strings"
)

// Account names the CRM account a token belongs to, so that an operator
// can tell a token of another client's account: ids and domains, no
// personal data (not the token's user).
type Account struct {
	IDName   string // what the CRM calls ID: "hub id", "company"
	ID       string // HubSpot: the hub (portal) id; Pipedrive: the company id
	Domain   string // HubSpot: the UI domain of its data centre; Pipedrive: the company domain
	Name     string // Pipedrive: the company name; HubSpot tells none
	Type     string // HubSpot: STANDARD, SANDBOX, DEVELOPER_TEST, APP_DEVELOPER
	TimeZone string // the account's time zone, as the CRM names it
}

// String is the account as crm check prints it: `hub id 1234567
// (app-eu1.hubspot.com, STANDARD, Europe/Copenhagen)`.
func (a Account) String() string {
	s := strings.TrimSpace(a.IDName + " " + a.ID)
	if a.Name != "" {
		s += " " + strconv.Quote(a.Name)
	}
	var more []string
	for _, v := range []string{a.Domain, a.Type, a.TimeZone} {
		if v != "" {
			more = append(more, v)
		}
	}
	if len(more) > 0 {
		s += " (" + strings.Join(more, ", ") + ")"
	}
	return s
}
