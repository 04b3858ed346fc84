package syncd

import "time"

// Pause is an adapter's pause: no operation goes to the CRM until Until
// (a zero Until: not paused), for a refusal of the Kind given, which
// Reason says in words.
type Pause struct {
	Until  time.Time
	Kind   PauseKind
	Reason string
}

// PauseKind is why an adapter paused: what ends the pause, and so what the
// operator is told to do, follows from it.
type PauseKind string

// The kinds of pause. The empty kind is one a person set or a store row
// named none of.
const (
	// PauseToken: the CRM refused syncd's token (401).
	PauseToken PauseKind = "token"
	// PausePermission: the CRM took the token but refused it a
	// permission (403).
	PausePermission PauseKind = "permission"
	// PauseAccount: the token is another account's than the one syncd is
	// pinned to.
	PauseAccount PauseKind = "account"
	// PauseAddress: the CRM's address answers, but not as its API.
	PauseAddress PauseKind = "address"
	// PauseDailyLimit: the CRM's daily request limit is spent; it ends
	// when the CRM's day turns.
	PauseDailyLimit PauseKind = "daily_limit"
	// PauseDailyBudget: Pipedrive's daily token budget is spent; its day
	// turns at a time it does not name, so it is tried hour by hour.
	PauseDailyBudget PauseKind = "daily_budget"
	// PauseConfig: the CRM refused a record for the account's
	// configuration (a property the mappings write is missing), which
	// the account check can see.
	PauseConfig PauseKind = "config"
	// PauseConfigUnseen: the CRM refused a record for the account's
	// configuration in a way no account check sees (a property HubSpot
	// requires that the mappings do not write).
	PauseConfigUnseen PauseKind = "config_unseen"
	// PauseCheck: the account check, run as a configuration pause ended,
	// failed.
	PauseCheck PauseKind = "check"
)

// EndsByItself reports whether a pause of kind k ends with no one acting:
// a spent daily limit or budget. The others wait for a person's fix.
func (k PauseKind) EndsByItself() bool { return k == PauseDailyLimit || k == PauseDailyBudget }

// Configuration reports whether a pause of kind k was made by the CRM
// refusing a record for the account's configuration (seen by the account
// check or not).
func (k PauseKind) Configuration() bool { return k == PauseConfig || k == PauseConfigUnseen }
