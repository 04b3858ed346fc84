// Package budgetbench measures how much of a CRM account's published rate
// budget the adapters use, and how many 429s they earn doing it, against
// crmfake configured with HubSpot's and Pipedrive's limits. It has no code
// of its own: the measurement is a test behind a flag, since it runs in
// real time (about three minutes):
//
//	go test ./internal/crm/budgetbench -run TestBudget -budget -v
package budgetbench
