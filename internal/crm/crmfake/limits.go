package crmfake

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// appWindows are one app's accepted requests in the rate window and in
// the last second (SecondlyLimit). HubSpot counts them per app, its
// private app token, and the daily limit and search per account
// (docs/crm-contracts.md, "HubSpot: account details, time zone, limits"):
// another integration's requests spend the account's day, not syncd's
// burst. The fake's Pipedrive has one window for every token.
type appWindows struct {
	window   []time.Time
	secondly []time.Time
}

// appOf is the window of the app r comes from; s.mu held.
func (s *Server) appOf(r *http.Request) *appWindows {
	key := ""
	if s.opts.Kind == KindHubSpot {
		key = r.Header.Get("Authorization")
	}
	if s.apps == nil {
		s.apps = map[string]*appWindows{}
	}
	a := s.apps[key]
	if a == nil {
		a = &appWindows{}
		s.apps[key] = a
	}
	return a
}

// limited applies the rolling-window, search and daily limits, writing the
// rate-limit headers on every answer and a 429 when a limit is reached. It
// reports whether it answered.
func (s *Server) limited(w http.ResponseWriter, r *http.Request) bool {
	o := s.opts
	search := strings.HasSuffix(r.URL.Path, "/search")
	s.mu.Lock()
	now := o.Now()
	app := s.appOf(r)
	app.window = expire(app.window, now.Add(-o.RateInterval))
	s.search = expire(s.search, now.Add(-o.SearchWindow))
	app.secondly = expire(app.secondly, now.Add(-time.Second))
	if day := now.In(s.zone()).Format("2006-01-02"); day != s.dayKey {
		s.dayKey, s.dayCount = day, 0
	}
	if o.EdgeBlockAfter > 0 && s.strikes >= o.EdgeBlockAfter && now.Sub(s.lastStrike) < o.RateInterval {
		s.lastStrike = now
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte("<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1><p>Request blocked.</p></body></html>"))
		return true
	}
	// Pipedrive's daily requests are its POST/PUT ones (v2's PATCH is
	// v1's PUT): x-daily-requests-left; reads spend none of them.
	daily := o.Kind != KindPipedrive || (r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodDelete)
	var policy string
	switch {
	case o.DailyLimit > 0 && daily && s.dayCount >= o.DailyLimit:
		policy = "DAILY"
	case o.RateLimit > 0 && len(app.window) >= o.RateLimit:
		policy = "TEN_SECONDLY_ROLLING"
	case o.SecondlyLimit > 0 && len(app.secondly) >= o.SecondlyLimit:
		policy = "SECONDLY"
	case search && o.SearchLimit > 0 && len(s.search) >= o.SearchLimit:
		policy = "SECONDLY"
	case s.tokensSpent(r, now):
		policy = "TOKENS"
	}
	if policy == "" {
		s.strikes = 0
		app.window = append(app.window, now)
		if o.SecondlyLimit > 0 {
			app.secondly = append(app.secondly, now)
		}
		if search {
			s.search = append(s.search, now)
		}
		if daily {
			s.dayCount++
		}
	} else {
		s.strikes++
		s.lastStrike = now
	}
	if !search || o.Kind != KindHubSpot {
		// HubSpot's search answers carry none of its rate-limit headers
		// (docs/crm-contracts.md): a client cannot read its search limit,
		// nor its window, from them.
		s.rateHeaders(w.Header(), app, now)
	}
	if search && o.Kind == KindPipedrive && policy != "TEN_SECONDLY_ROLLING" {
		// A search the general window refused says that window is full.
		s.pdSearchHeaders(w.Header(), now)
	}
	s.mu.Unlock()
	if policy == "" {
		return false
	}
	s.writeRateLimited(w, policy)
	return true
}

// rateHeaders writes the kind's rate-limit headers, the burst ones of
// app; s.mu is held.
func (s *Server) rateHeaders(h http.Header, app *appWindows, now time.Time) {
	o := s.opts
	remaining := 0
	if o.RateLimit > 0 {
		remaining = max(o.RateLimit-len(app.window), 0)
	}
	dailyLeft := max(o.DailyLimit-s.dayCount, 0)
	if o.Kind == KindPipedrive {
		if o.RateLimit > 0 {
			reset := o.RateInterval
			if len(app.window) > 0 {
				reset = app.window[0].Add(o.RateInterval).Sub(now)
			}
			h.Set("X-Ratelimit-Limit", strconv.Itoa(o.RateLimit))
			h.Set("X-Ratelimit-Remaining", strconv.Itoa(remaining))
			h.Set("X-Ratelimit-Reset", strconv.Itoa(int((reset+time.Second-1)/time.Second)))
		}
		if o.DailyLimit > 0 {
			h.Set("X-Daily-Requests-Left", strconv.Itoa(dailyLeft))
		}
		return
	}
	if o.RateLimit > 0 {
		h.Set("X-HubSpot-RateLimit-Max", strconv.Itoa(o.RateLimit))
		h.Set("X-HubSpot-RateLimit-Remaining", strconv.Itoa(remaining))
		h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", strconv.Itoa(int(o.RateInterval/time.Millisecond)))
	}
	if o.SecondlyLimit > 0 {
		h.Set("X-HubSpot-RateLimit-Secondly", strconv.Itoa(o.SecondlyLimit))
		h.Set("X-HubSpot-RateLimit-Secondly-Remaining", strconv.Itoa(max(o.SecondlyLimit-len(app.secondly), 0)))
	}
	if o.DailyLimit > 0 {
		h.Set("X-HubSpot-RateLimit-Daily", strconv.Itoa(o.DailyLimit))
		h.Set("X-HubSpot-RateLimit-Daily-Remaining", strconv.Itoa(dailyLeft))
	}
}

func expire(ts []time.Time, cut time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	if i == 0 {
		return ts
	}
	return append(ts[:0], ts[i:]...)
}

// writeRateLimited answers a 429 with the kind's documented body.
func (s *Server) writeRateLimited(w http.ResponseWriter, policy string) {
	if s.opts.Kind == KindPipedrive {
		if policy == "DAILY" {
			w.Header().Set("X-Daily-Requests-Left", "0")
		}
		info := "Rate limit exceeded: " + strings.ToLower(policy)
		if policy == "TOKENS" { // undocumented: nothing in the answer names the token budget
			info = "Please check developers.pipedrive.com for more information about Pipedrive API."
		}
		writeJSON(w, http.StatusTooManyRequests, pipedriveErr("Request over limit", info))
		return
	}
	msg := map[string]string{
		"DAILY":                "You have reached your daily limit.",
		"TEN_SECONDLY_ROLLING": "You have reached your ten_secondly_rolling limit.",
		"SECONDLY":             "You have reached your secondly limit.",
	}[policy]
	if policy == "DAILY" {
		w.Header().Set("X-HubSpot-RateLimit-Daily-Remaining", "0")
	}
	writeJSON(w, http.StatusTooManyRequests, map[string]any{
		"status": "error", "message": msg, "errorType": "RATE_LIMIT",
		"correlationId": correlationID(), "policyName": policy,
	})
}
