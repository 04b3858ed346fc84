package storetest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
)

// OldContactLink is a contact's CRM link as an older syncd stored it,
// under the key its mapper gave the email then: each store's upgrade test
// writes them, oldest first, and migrates.
type OldContactLink struct {
	Target, Key, CRMID string
}

// OldContactLinks are keys of forms older releases stored (mapping's
// history): "mailto:" kept; a soft hyphen, a zero-width space or a
// directional mark kept; letters decomposed (NFD); the domain as the portal
// wrote it (xn-- for Pipedrive, Unicode for HubSpot) or with a trailing
// dot. Beside them, people with a link under today's key and an older one
// (to another person in the CRM, and to the same), one under two older
// forms, and a phone key, which stays.
var OldContactLinks = []OldContactLink{
	{"pipedrive", "mailto:jane@x.dk", "1"},
	{"pipedrive", "kim\u00ad@x.dk", "2"},
	{"pipedrive", "ann@x.dk\u200b", "3"},
	{"pipedrive", "\u200ebo@x.dk", "4"},
	{"pipedrive", "a\u030age@x.dk", "5"},
	{"pipedrive", "kim@xn--mller-vua.dk", "6"},
	{"pipedrive", "eva@x.dk.", "7"},
	{"pipedrive", "mailto:lis@x.dk", "8"},
	{"pipedrive", "lis@x.dk", "9"},
	{"pipedrive", "mailto:ole@x.dk", "10"},
	{"pipedrive", "ole\u00ad@x.dk", "11"},
	{"pipedrive", "per@x.dk", "12"},
	{"pipedrive", "mailto:per@x.dk", "12"},
	{"pipedrive", "+4512345678", "13"},
	{"hubspot", "kim@møller.dk", "101"},
	{"hubspot", "mailto:jane@x.dk", "102"},
}

// UpgradedContactLinks are OldContactLinks after the upgrade, by target
// and key: each under the key today's mapper gives the email; of a
// person's two, today's key's, else the one written last.
var UpgradedContactLinks = map[[2]string]string{
	{"pipedrive", "jane@x.dk"}: "1", {"pipedrive", "kim@x.dk"}: "2", {"pipedrive", "ann@x.dk"}: "3",
	{"pipedrive", "bo@x.dk"}: "4", {"pipedrive", "åge@x.dk"}: "5", {"pipedrive", "kim@møller.dk"}: "6",
	{"pipedrive", "eva@x.dk"}: "7", {"pipedrive", "lis@x.dk"}: "9", {"pipedrive", "ole@x.dk"}: "11",
	{"pipedrive", "per@x.dk"}: "12", {"pipedrive", "+4512345678"}: "13",
	{"hubspot", "kim@xn--mller-vua.dk"}: "101", {"hubspot", "jane@x.dk"}: "102",
}

// UpgradedContactClashes are the persons OldContactLinks hold linked to two
// CRM records, as the upgrade reports them: lis (9 kept, 8 left) and ole
// (11 kept, 10 left).
var UpgradedContactClashes = []storesql.ContactKeyClash{
	{Target: "pipedrive", Kept: "11", Other: "10"},
	{Target: "pipedrive", Kept: "9", Other: "8"},
}

// CheckUpgradedContactLinks says how links (target, key -> CRM id, every
// contact link a store holds) and clashes differ from what the upgrade of
// OldContactLinks must leave; "" when they do not.
func CheckUpgradedContactLinks(links map[[2]string]string, clashes []storesql.ContactKeyClash) string {
	var diff []string
	for k, want := range UpgradedContactLinks {
		if links[k] != want {
			diff = append(diff, fmt.Sprintf("%s %q: CRM id %q, want %q", k[0], k[1], links[k], want))
		}
	}
	for k, id := range links {
		if _, ok := UpgradedContactLinks[k]; !ok {
			diff = append(diff, fmt.Sprintf("%s %q: CRM id %q left, want none", k[0], k[1], id))
		}
	}
	got := slices.Clone(clashes)
	slices.SortFunc(got, func(a, b storesql.ContactKeyClash) int { return strings.Compare(a.Kept, b.Kept) })
	if !slices.Equal(got, UpgradedContactClashes) {
		diff = append(diff, fmt.Sprintf("clashes %+v, want %+v", got, UpgradedContactClashes))
	}
	slices.Sort(diff)
	return strings.Join(diff, "\n")
}
