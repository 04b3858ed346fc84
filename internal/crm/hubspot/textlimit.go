package hubspot

import (
	"sort"

	"github.com/syncd-dev/syncd/internal/crm"
)

// maxText is the most characters a HubSpot property value holds
// (docs/crm-contracts.md: a string property takes at most 65,536); HubSpot
// refuses a longer value, and the whole record with it.
const maxText = 65536

// cutMark ends a value cut to maxText, so that whoever reads it in HubSpot
// knows there was more (syncd keeps the whole delivery).
const cutMark = " […] (cut by syncd: longer than HubSpot's 65,536 characters; the whole text is in syncd's event)"

// fitText cuts the values of p longer than HubSpot takes, in place
// (crm.Cut), and returns the names of those it cut, sorted.
func fitText(p map[string]string) []string {
	var cut []string
	for k, v := range p {
		if fitted, ok := crm.Cut(v, maxText, cutMark); ok {
			p[k] = fitted
			cut = append(cut, k)
		}
	}
	sort.Strings(cut)
	return cut
}

// fit writes the values of p, properties of object, as their types take
// them (asTaken), cuts those HubSpot would refuse as too long (fitText) and
// warns of it, naming the deal's lead id (a contact's key is personal
// data: a contact is not named). It returns p.
func (a *Adapter) fit(object string, p map[string]string, leadID string) map[string]string {
	a.asTaken(object, p)
	cut := fitText(p)
	if len(cut) == 0 {
		return p
	}
	ev := a.opts.Logger.Warn().Strs("properties", cut)
	if leadID != "" {
		ev = ev.Str("lead_id", leadID)
	}
	ev.Msg("hubspot: text longer than the 65,536 characters HubSpot holds, cut to fit; the whole text stays in the lead's event (syncd events show)")
	return p
}
