package pipedrive

import (
	"sync"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Pipedrive's limits as they are:
//   - a burst limit per rolling 2 s window (the plan's, configured as
//     crm.pipedrive.requests/window) and, for search, 10 per 2 s on every
//     plan: two budgets (crm.Budget), so that a search answer, which
//     carries the search limit in x-ratelimit-*, never slows other calls;
//   - a daily token budget no header reports: a 429 while the window still
//     has room is that budget spent (crm.PipedriveTokensSpent), and pauses
//     the adapter with an alarm (ErrDailyLimit, code DAILY_BUDGET).

// searchBudget names the search budget.
const searchBudget = "search"

// untilNextHour is how long to pause once the token budget is spent: it
// resets at midnight in a time zone Pipedrive does not name, and some
// zone's midnight falls on every full hour, so the adapter tries again on
// the hour (one request an hour while the budget stays spent).
func untilNextHour(now time.Time) time.Duration {
	return now.Truncate(time.Hour).Add(time.Hour).Sub(now)
}

// spent remembers a spent token budget, so that the other records of a
// run fail at once instead of each earning a 429 (and, after a few, the
// edge's 403).
type spent struct {
	mu    sync.Mutex
	until time.Time
	err   *syncd.CRMError
}

func (s *spent) set(until time.Time, err *syncd.CRMError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.until, s.err = until, err
}

// check returns the 429's error, with what is left of its wait, while the
// budget is spent.
func (s *spent) check(now time.Time) *syncd.CRMError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil || !now.Before(s.until) {
		return nil
	}
	e := *s.err
	e.RetryAfter = s.until.Sub(now)
	return &e
}
