package webhook

import "strconv"

// Reasons a delivery is refused, the reason Observer.Rejected is given.
const (
	rejectMethod           = "method"
	rejectUnknownSource    = "unknown_source"
	rejectIPNotAllowed     = "ip_not_allowed"
	rejectBadToken         = "bad_token"
	rejectBadBasicAuth     = "bad_basic_auth"
	rejectTooLarge         = "too_large"
	rejectReadError        = "read_error"
	rejectEmptyBody        = "empty_body"
	rejectStoreUnavailable = "store_unavailable"
	rejectDeadline         = "deadline"
	rejectSenderGone       = "sender_gone" // hung up before its commit: maybe stored
	rejectBadPath          = "bad_path"
	rejectUncleanPath      = "unclean_path"
)

// RejectedSeries returns, for the configured sources, every source label
// Observer.Rejected may be given with the reasons it may come with: each
// source's, and those of a request naming no configured source (labelled
// "unknown"). Metrics create these at 0 at start, so that the first
// rejection after a restart (a full disk refusing every lead) shows as an
// increase.
func RejectedSeries(sources []string) map[string][]string {
	series := map[string][]string{
		unknownSource: {rejectUnknownSource, rejectMethod, rejectBadPath, rejectUncleanPath},
	}
	for _, s := range sources {
		series[s] = []string{rejectMethod, rejectIPNotAllowed, rejectBadToken, rejectBadBasicAuth,
			rejectTooLarge, rejectReadError, rejectEmptyBody, rejectStoreUnavailable, rejectDeadline,
			rejectSenderGone, rejectBadPath, rejectUncleanPath}
	}
	return series
}

// NotStored reports whether a delivery refused with reason was one the
// store could not keep (answered 503): a store failing, a full disk, a
// lock held past the deadline.
func NotStored(reason string) bool {
	return reason == rejectStoreUnavailable || reason == rejectDeadline
}

// lasting are the refusals a sender's retries cannot end, in the order
// status names them, with what each is in plain words: the sender's URL,
// token, address or body must change, or it retries and then gives up.
var lasting = []struct {
	reasons []string
	words   string
}{
	{[]string{rejectBadPath, rejectUncleanPath, rejectUnknownSource}, "to a wrong URL (404)"},
	{[]string{rejectBadToken, rejectBadBasicAuth}, "with a wrong token or password (401)"},
	{[]string{rejectIPNotAllowed}, "from an address not in allow_ips (403)"},
	{[]string{rejectTooLarge}, "over http.max_body_bytes (413)"},
}

// Lasting says, in plain words and the order they are given in, what the
// refusals counted by reason (counts by the reason Observer.Rejected was
// given) are that the sender's retries cannot end ("3 to a wrong URL
// (404)"); refusals a retry ends (a store failing, a body cut short) are
// left out.
func Lasting(counts map[string]int) []string {
	var out []string
	for _, l := range lasting {
		n := 0
		for _, r := range l.reasons {
			n += counts[r]
		}
		if n > 0 {
			out = append(out, strconv.Itoa(n)+" "+l.words)
		}
	}
	return out
}
