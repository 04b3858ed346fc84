package syncer

import "github.com/syncd-dev/syncd/internal/syncd"

// The words a pause's reason starts with, by its kind (a syncd before
// session 38 kept no kind, and read it from these: keep them).
const (
	reasonAuth       = "authentication rejected: "
	reasonPermission = "permission refused: "
	reasonAccount    = "wrong CRM account: "
	reasonAddress    = "CRM address wrong: "
	reasonDaily      = "daily limit reached: "
	reasonConfig     = "CRM configuration: "
	reasonCheck      = "CRM check failing: "
)

// ResumeHint says how a pause of kind k ends: a rejected token waits for
// the operator's `syncd sync -resume`, or a new token given to the
// daemon; a token refused a permission (403) for the permission granted in
// the CRM, or the pipeline shown to the user when the reason says so; a
// spent daily limit (Pipedrive's tried again hour by hour, its reset time
// unknown) and a configuration problem lift by themselves (the
// latter once the account check passes), though -resume tries at once. A
// new token or pin reaches the daemon alike for HubSpot and Pipedrive: by
// a reload, or, for a token file systemd hands over (LoadCredential=),
// whose copy a reload does not renew, a restart.
func ResumeHint(k syncd.PauseKind) string {
	switch k {
	case syncd.PauseDailyBudget:
		// Pipedrive's day turns at a midnight it does not name: the
		// adapter tries one request at each full hour until it is taken.
		return "Leads wait in the outbox; nothing to do: Pipedrive does not say when its day turns, so syncd tries " +
			"again at the time shown and every full hour after, and resumes by itself once Pipedrive takes requests " +
			"again (syncd sync -resume tries at once)"
	case syncd.PauseDailyLimit:
		return "Leads wait in the outbox; it resumes by itself when the CRM's day turns"
	case syncd.PauseAccount:
		return "Leads wait in the outbox, none goes to that account. With the right token or the pin corrected: " +
			newToken + "; or run: syncd sync -resume"
	case syncd.PauseAddress:
		// The address is read at start only: a reload keeps the old one.
		return "Leads wait in the outbox, none is sent. Correct the CRM's base_url in the configuration (Pipedrive: " +
			"https://COMPANY.pipedrive.com/api/v2, COMPANY as in the address the agency opens Pipedrive at now; " +
			"`syncd crm check` says when it answers), then restart the daemon (systemctl restart syncd: a reload " +
			"keeps the old address). It then resumes by itself"
	case syncd.PausePermission:
		// The token works: a new one of the same user or app changes nothing.
		// Pipedrive refuses a deal in a pipeline the user may not see as
		// it does an edit its permission set does not allow: the reason
		// (the adapter's words) says which it may be.
		return "Leads wait in the outbox; the CRM took the token but refused the request (403): grant in the CRM what the reason " +
			"names (Pipedrive: the permission set of the token's user, or, when the reason names the deal's pipeline, that " +
			"pipeline to the user's visibility group; or an admin user's token; HubSpot: the scope named, added to the private " +
			"app), then run: syncd sync -resume (the daemon also tries again once the pause ends). A new token: " + newToken
	case syncd.PauseConfigUnseen:
		// The check passes all the while: its advice would send the
		// operator to a list that names nothing.
		return "Leads wait in the outbox; do what the reason says, in the CRM or in the mappings (then reload the daemon: " +
			"systemctl reload syncd): it resumes by itself once the CRM takes a lead, or tries at once with: syncd sync -resume. " +
			remapWaiting
	case syncd.PauseConfig, syncd.PauseCheck:
		return "Leads wait in the outbox; fix what `syncd crm check` lists (or run `syncd crm setup`): " +
			"it resumes by itself once the check passes, or at once with: syncd sync -resume. " + remapWaiting
	default:
		// A running daemon keeps the token it read: -resume alone would
		// send with the new one once, and the daemon pause again.
		return "Leads wait in the outbox; once fixed, run: syncd sync -resume. " +
			"A new token: " + newToken
	}
}

// remapWaiting is what a configuration pause's hint says of a fix made in
// a mapping file: the leads waiting were mapped before it and are sent as
// they were, so each would be refused again once the check passes and be
// dead-lettered, the fix never reaching it. A replay maps them again and
// drops the operations never sent; run before the reload, none dies.
// Before, the hint said only that the leads wait and that it resumes by
// itself, and an operator who wrote the stage a pause named in the
// mapping and reloaded, as its reason said, found every lead that had
// waited dead.
const remapWaiting = "The leads waiting keep the values they were mapped with: after a fix in a mapping file, run " +
	"syncd replay -since AGE before the reload (-dry-run first; AGE a duration such as 24h, longer than the oldest " +
	"pending one's age in syncd status), which maps them again; else each is refused again and dead-lettered"

// newToken is how a new token or pin reaches the daemon, HubSpot's and
// Pipedrive's alike.
const newToken = "reload the daemon (systemctl reload syncd), HubSpot and Pipedrive alike; a token file systemd " +
	"hands over (LoadCredential=): systemctl restart syncd. It then resumes by itself"
