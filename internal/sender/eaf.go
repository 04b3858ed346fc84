package sender

import "github.com/syncd-dev/syncd/internal/syncd"

// eaf is Estate Agent Feeds' webhooks: each delivery carries eaf_id.
var eaf = Spec{
	Kind:        syncd.KindEAF,
	Name:        "Estate Agent Feeds",
	Country:     "GB",
	TypeField:   "eaf_type",
	IDField:     "eaf_id",
	Types:       []string{syncd.TypeEmailLead, syncd.TypePortalSubmission, syncd.TypeFeedImport},
	Leads:       []string{syncd.TypeEmailLead},
	Submissions: []string{syncd.TypePortalSubmission},
	Imports:     []string{syncd.TypeFeedImport},
}
