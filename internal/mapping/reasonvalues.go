package mapping

import (
	"regexp"
	"strconv"
	"strings"
)

// hiddenValue stands for a sender's value ReasonWithoutValues leaves out.
const hiddenValue = "…"

// unquotedValues are the places the mapper's reasons (Result.Reason,
// stored as an event's map_error) name a lead's value without quotes: the
// address a contact got out of an email field holding several, and those
// left out; the phone a contact got out of a phone field holding several;
// a number the sender sent that no CRM property takes. Each first group
// is the value.
var unquotedValues = []*regexp.Regexp{
	regexp.MustCompile(`the contact is ([^,]*), and (.*?) (?:is|are) left out \(add`),
	regexp.MustCompile(`the contact's is ([^,]*), and `),
	regexp.MustCompile(`the sender's number (\S+) in `),
}

// ReasonWithoutValues is a mapper's reason (an event's map_error) with
// the lead's values it quotes left out, each as "…": what a listing
// that shows no person's data (syncd events list) prints, where `events
// show` gives the reason whole. It keeps the rules' names (rule "x",
// "x" at FILE:LINE), which are the operator's, and the words around each
// value, so the reason still says what was left out and why ("syncd_
// enquiry_at left out: cannot read "…" as a date").
func ReasonWithoutValues(reason string) string {
	var b strings.Builder
	rest := reason
	for {
		i := strings.IndexByte(rest, '"')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		q, err := strconv.QuotedPrefix(rest[i:])
		if err != nil { // a lone quote: no Go-quoted text starts here
			b.WriteString(rest[:i+1])
			rest = rest[i+1:]
			continue
		}
		b.WriteString(rest[:i])
		after := rest[i+len(q):]
		if strings.HasSuffix(rest[:i], "rule ") || strings.HasPrefix(after, " at ") {
			b.WriteString(q) // a rule's name
		} else {
			b.WriteString(`"` + hiddenValue + `"`)
		}
		rest = after
	}
	out := b.String()
	for _, re := range unquotedValues {
		out = replaceGroups(re, out)
	}
	return out
}

// replaceGroups replaces the text of each of re's groups in each of its
// matches in s with hiddenValue.
func replaceGroups(re *regexp.Regexp, s string) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		for g := 2; g+1 < len(m); g += 2 {
			if m[g] < 0 || m[g] < last {
				continue
			}
			b.WriteString(s[last:m[g]])
			b.WriteString(hiddenValue)
			last = m[g+1]
		}
	}
	b.WriteString(s[last:])
	return b.String()
}
