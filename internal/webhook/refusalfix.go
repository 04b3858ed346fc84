package webhook

import (
	"slices"
	"strings"
)

// lostUntil ends every refusal's fix: the sender retries and gives up.
const lostUntil = "; until then the sender's deliveries are refused, retried and lost"

// refusalFix says, for a refusal a sender's retries cannot end (and for
// a delivery by another method than POST or without a body), what is
// wrong in the sender's URL or credentials and what to do, naming the
// configuration keys and never a token or password; "" for a reason
// whose warning says it otherwise (too_large, a proxy judged, a path
// outside /hooks) or that a retry may end. A wrong token and its fix were
// logged as the reason alone, though status and the documentation said the
// lines gave the fix.
func (rc *Receiver) refusalFix(source, reason string) string {
	switch reason {
	case rejectBadToken:
		return "the token in the URL is none of source " + source + "'s tokens (sources." + source + ".tokens): " +
			"give the sender its URL, /hooks/" + source + "/TOKEN, with one of them" + lostUntil
	case rejectBadBasicAuth:
		return "the token is right, but the HTTP Basic user or password is missing or not sources." + source +
			".basic_auth's: give the sender that user and password" + lostUntil
	case rejectIPNotAllowed:
		return "client is not in sources." + source + ".allow_ips: if it is the sender's address, add it; " +
			"if it is a proxy in front of syncd, put the proxy in http.trusted_proxies instead, so that the sender's " +
			"address it forwards is judged" + lostUntil
	case rejectUnknownSource:
		return "no source of that name in syncd's configuration (sources: " + rc.sourceNames() + "): " +
			"give the sender /hooks/SOURCE/TOKEN, SOURCE one of those, in lower case" + lostUntil
	case rejectBadPath, rejectUncleanPath:
		return "the URL is /hooks/SOURCE/TOKEN exactly: no trailing slash, segment more or less, doubled slash " +
			"or dot segment; give the sender that URL" + lostUntil
	case rejectMethod:
		return methodFix
	case rejectEmptyBody:
		return emptyBodyFix
	}
	return ""
}

// methodFix and emptyBodyFix are the fixes of a delivery by another method
// than POST and of one without a body: neither is always a sender's fault
// (a browser opening the URL, a sender's test from its settings page), so
// they say what else it may be.
const (
	methodFix = "deliveries come by POST only: a browser's GET is answered with whether the URL is right; " +
		"a GET where a sender posts comes from a redirect before syncd (http:// to https://, a proxy adding a slash), " +
		"which turns a POST into a GET: give the sender the URL that is not redirected; another method: set the sender's webhook method to POST"
	emptyBodyFix = "the delivery had no body: a sender's test from its settings page is harmless; if its leads come so, " +
		"a proxy before syncd drops their bodies, or the sender is set to post none: they are refused (400) and lost"
)

// sourceNames lists the configured sources' names, sorted.
func (rc *Receiver) sourceNames() string {
	var names []string
	for name := range *rc.sources.Load() {
		names = append(names, name)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
