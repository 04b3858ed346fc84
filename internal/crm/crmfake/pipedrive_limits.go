package crmfake

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Pipedrive's limits besides the general 2-second window:
//   - search answers carry the search limit in x-ratelimit-* (10 per 2 s on
//     every plan), not the general one;
//   - a daily token budget (Options.DailyTokens), spent per request by its
//     documented cost; once spent every request answers 429 until the next
//     UTC day, while x-ratelimit-remaining still shows room in the window
//     and no header reports the budget.

// Token costs of Pipedrive requests (v1 figures; tests need only their
// order).
const (
	tokensGetOne = 2
	tokensList   = 20
	tokensWrite  = 10
	tokensSearch = 40
)

// pdSearchHeaders overwrites x-ratelimit-* with the search window; s.mu
// is held.
func (s *Server) pdSearchHeaders(h http.Header, now time.Time) {
	o := s.opts
	if o.SearchLimit <= 0 {
		return
	}
	reset := o.SearchWindow
	if len(s.search) > 0 {
		reset = s.search[0].Add(o.SearchWindow).Sub(now)
	}
	h.Set("X-Ratelimit-Limit", strconv.Itoa(o.SearchLimit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(max(o.SearchLimit-len(s.search), 0)))
	h.Set("X-Ratelimit-Reset", strconv.Itoa(int((reset+time.Second-1)/time.Second)))
}

// tokensSpent charges r to the daily token budget and reports whether the
// budget was already spent; s.mu is held and the day rolled over.
func (s *Server) tokensSpent(r *http.Request, now time.Time) bool {
	if s.opts.Kind != KindPipedrive || s.opts.DailyTokens <= 0 {
		return false
	}
	if s.tokenDay != s.dayKey {
		s.tokenDay, s.tokens = s.dayKey, 0
	}
	if s.tokens >= s.opts.DailyTokens {
		return true
	}
	s.tokens += tokenCost(r)
	return false
}

func tokenCost(r *http.Request) int {
	switch {
	case strings.HasSuffix(r.URL.Path, "/search"):
		return tokensSearch
	case r.Method != http.MethodGet:
		return tokensWrite
	case strings.Count(strings.TrimPrefix(r.URL.Path, "/api/v2/"), "/") == 0:
		return tokensList
	}
	return tokensGetOne
}
