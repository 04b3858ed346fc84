package hubspot

import (
	"sort"
	"unicode/utf16"
)

// maxText is the most characters a HubSpot property value holds
// (docs/crm-contracts.md: a string property takes at most 65,536); HubSpot
// refuses a longer value, and the whole record with it.
const maxText = 65536

// cutMark ends a value cut to maxText, so that whoever reads it in HubSpot
// knows there was more (syncd keeps the whole delivery).
const cutMark = " […] (cut by syncd: longer than HubSpot's 65,536 characters; the whole text is in syncd's event)"

// fitText cuts the values of p longer than HubSpot takes, in place, and
// returns the names of those it cut, sorted. Characters are counted as
// UTF-16 units, so that a value fits however HubSpot counts them; a value
// is never cut inside a character.
func fitText(p map[string]string) []string {
	var cut []string
	for k, v := range p {
		if len(v) <= maxText || utf16Len(v) <= maxText { // a UTF-16 unit takes at least one byte
			continue
		}
		p[k] = truncUTF16(v, maxText-utf16Len(cutMark)) + cutMark
		cut = append(cut, k)
	}
	sort.Strings(cut)
	return cut
}

// utf16Len is the length of s in UTF-16 units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// truncUTF16 is the longest prefix of s of at most n UTF-16 units.
func truncUTF16(s string, n int) string {
	for i, r := range s {
		if n -= utf16.RuneLen(r); n < 0 {
			return s[:i]
		}
	}
	return s
}

// fit cuts the values of p HubSpot would refuse as too long (fitText) and
// warns of it, naming the deal's lead id (a contact's key is personal
// data: a contact is not named). It returns p.
func (a *Adapter) fit(p map[string]string, leadID string) map[string]string {
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
