package report

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// portalLabel is the name a person knows portal id by (the id a sender
// uses for a portal, or a sender kind): a known one's, or the id with its
// first letter in upper case, on one line: a sender's id goes into the
// mail's subject and text, where a line break in it would start a line of
// its own ("ALARM: …"), so it is shown as syncd.OneLine shows a sender's
// text: a control character or line separator as a space, and without the
// bidirectional overrides that would show the rest of the line backwards.
func portalLabel(id string) string {
	if l, ok := sender.Label(id); ok {
		return l
	}
	if l, ok := sender.Label(strings.ToLower(id)); ok {
		return l
	}
	if id = syncd.OneLine(id); strings.TrimSpace(id) == "" {
		return "(unknown)"
	}
	r, n := utf8.DecodeRuneInString(id)
	return string(unicode.ToUpper(r)) + id[n:]
}

// crmLabels name the CRMs by their adapter names; the dry run
// (crm.kind: dryrun) is none.
var crmLabels = map[string]string{"hubspot": "HubSpot", "pipedrive": "Pipedrive", "dryrun": dryRunLabel}

// dryRunLabel names the dry run where a CRM's name goes: it records what
// it would send to a CRM and sends nothing, so a lead it took is not sent.
const dryRunLabel = "the dry run"

// crmLabel is the name of the CRM behind adapter target.
func crmLabel(target string) string {
	if l, ok := crmLabels[target]; ok || target == "" {
		return l
	}
	return portalLabel(target)
}
