package webhook

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
