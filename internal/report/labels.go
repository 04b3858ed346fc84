package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// portalLabels are the names people know the portals by, by the id the
// senders use (eaf_target, email_source) and by sender kind.
var portalLabels = map[string]string{
	"lokalebasen":   "Lokalebasen",
	"rightmove":     "Rightmove",
	"zoopla":        "Zoopla",
	"onthemarket":   "OnTheMarket",
	"primelocation": "PrimeLocation",
	"eaf":           "Estate Agent Feeds",
}

// portalLabel is the name a person knows portal id by: a known one's, or
// the id with its first letter in upper case.
func portalLabel(id string) string {
	if l, ok := portalLabels[id]; ok {
		return l
	}
	if l, ok := portalLabels[strings.ToLower(id)]; ok {
		return l
	}
	if id == "" {
		return "(unknown)"
	}
	r, n := utf8.DecodeRuneInString(id)
	return string(unicode.ToUpper(r)) + id[n:]
}

// crmLabels name the CRMs by their adapter names.
var crmLabels = map[string]string{"hubspot": "HubSpot", "pipedrive": "Pipedrive"}

// crmLabel is the name of the CRM behind adapter target.
func crmLabel(target string) string {
	if l, ok := crmLabels[target]; ok || target == "" {
		return l
	}
	return portalLabel(target)
}
