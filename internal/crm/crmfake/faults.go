package crmfake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"
)

// Action is what a fault does to a matching request.
type Action string

// Fault actions. The apply_then_* actions run the request first, so the
// write happens, and then lose or spoil the answer: the faults that prove
// a retry makes no duplicate.
const (
	ActError          Action = "error"            // answer Status (default 503) with the kind's body, or HTML, or Body
	ActRateLimit      Action = "rate_limit"       // 429 with the ten-secondly body (Pipedrive: its burst 429, the window full); Retry-After when set
	ActDailyLimit     Action = "daily_limit"      // 429 with the daily body and daily remaining 0
	ActApplyThenError Action = "apply_then_error" // apply, then answer Status (default 502)
	ActApplyThenHang  Action = "apply_then_hang"  // apply, then hang until the client gives up (or Delay, default 2m)
	ActApplyThenDrop  Action = "apply_then_drop"  // apply, then close the connection without an answer
	ActDrop           Action = "drop"             // close the connection without applying
	ActHang           Action = "hang"             // hang without applying
	ActSlow           Action = "slow"             // wait Delay (± Jitter), then answer normally
	ActTruncate       Action = "truncate"         // apply, then send half of the body
	ActMalformed      Action = "malformed"        // apply, then send a body that is not JSON
	ActPartial        Action = "partial"          // HubSpot batch upsert or association: apply all but the last input, answer 207 (Category)
	ActOmit           Action = "omit"             // HubSpot batch upsert or association: apply all but the last input, answer 200 without it in results or errors
)

// actions are the Actions a fault rule may name.
var actions = []Action{ActError, ActRateLimit, ActDailyLimit, ActApplyThenError, ActApplyThenHang, ActApplyThenDrop,
	ActDrop, ActHang, ActSlow, ActTruncate, ActMalformed, ActPartial, ActOmit}

// checkAction is nil for an Action a fault rule may name, else an error
// listing those.
func checkAction(a Action) error {
	if slices.Contains(actions, a) {
		return nil
	}
	names := make([]string, len(actions))
	for i, x := range actions {
		names[i] = string(x)
	}
	return fmt.Errorf("action %q is none of %s", a, strings.Join(names, ", "))
}

// Fault is one fault rule. It matches on method, path pattern and the Nth
// matching call or a probability, and fires at most Uses times.
type Fault struct {
	Name   string `json:"name,omitempty"`
	Method string `json:"method,omitempty"` // "" for any
	// Path is matched against the URL path: '*' matches within one segment,
	// a trailing "**" matches any rest; "" for any path.
	Path        string        `json:"path,omitempty"`
	Nth         int           `json:"nth,omitempty"`         // fire from the Nth matching call on (1-based); 0 from the first
	Probability float64       `json:"probability,omitempty"` // chance to fire on an eligible call; 0 means always
	Uses        int           `json:"uses,omitempty"`        // how many times it fires; 0 without end
	Action      Action        `json:"action"`
	Status      int           `json:"status,omitempty"`
	RetryAfter  string        `json:"retry_after,omitempty"` // Retry-After value: seconds or an HTTP date
	HTML        bool          `json:"html,omitempty"`        // an HTML body instead of JSON
	Body        string        `json:"body,omitempty"`        // replaces the default body
	Delay       time.Duration `json:"delay,omitempty"`
	Jitter      time.Duration `json:"jitter,omitempty"`

	// Category and Message are the error a partial fault's 207 gives its
	// last input: VALIDATION_ERROR (a refusal of that record, as an
	// association limit reached) when empty; INTERNAL_ERROR or RATE_LIMITS
	// play HubSpot's own failure of one input.
	Category string `json:"category,omitempty"`
	Message  string `json:"message,omitempty"`

	// BodyContains, if set, limits the rule to requests whose body holds
	// it (one record's email: a batch the CRM never takes).
	BodyContains string `json:"body_contains,omitempty"`
}

type faultRule struct {
	Fault
	seen  int // matching calls so far
	fired int
}

// AddFault adds a fault rule; rules are tried in the order added.
func (s *Server) AddFault(f Fault) {
	if f.Name == "" {
		f.Name = string(f.Action)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRule{Fault: f})
}

// ClearFaults removes every fault rule.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Faults returns the rules with how often each fired.
func (s *Server) Faults() []FaultStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]FaultStatus, 0, len(s.faults))
	for _, f := range s.faults {
		out = append(out, FaultStatus{Fault: f.Fault, Seen: f.seen, Fired: f.fired})
	}
	return out
}

// FaultStatus is a rule and its counters.
type FaultStatus struct {
	Fault Fault `json:"fault"`
	Seen  int   `json:"seen"`
	Fired int   `json:"fired"`
}

// matchFault returns the first rule that fires for r, counting it.
func (s *Server) matchFault(r *http.Request) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) || !matchPath(f.Path, r.URL.Path) ||
			f.BodyContains != "" && !bodyContains(r, f.BodyContains) {
			continue
		}
		f.seen++
		if f.Uses > 0 && f.fired >= f.Uses || f.Nth > 0 && f.seen < f.Nth {
			continue
		}
		if f.Probability > 0 && f.Probability < 1 && s.rng.Float64() >= f.Probability {
			continue
		}
		f.fired++
		cp := f.Fault
		return &cp
	}
	return nil
}

// bodyContains reports whether r's body holds s, leaving the body to be
// read again.
func bodyContains(r *http.Request, s string) bool {
	if r.Body == nil {
		return false
	}
	b, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	return err == nil && bytes.Contains(b, []byte(s))
}

func matchPath(pattern, p string) bool {
	if pattern == "" {
		return true
	}
	ps, xs := strings.Split(strings.Trim(pattern, "/"), "/"), strings.Split(strings.Trim(p, "/"), "/")
	for i, seg := range ps {
		if seg == "**" {
			return true
		}
		if i >= len(xs) || seg != "*" && seg != xs[i] {
			return false
		}
	}
	return len(ps) == len(xs)
}

type ctxPartial struct{}

// partialOf returns the partial fault r carries, or nil.
func partialOf(r *http.Request) *Fault {
	f, _ := r.Context().Value(ctxPartial{}).(*Fault)
	return f
}

// partialError is the error of a partial fault's 207 for one input, named
// by ctx; def is the message when the fault gives none.
func partialError(f *Fault, def string, ctx map[string][]string) map[string]any {
	cat, msg := f.Category, f.Message
	if cat == "" {
		cat = "VALIDATION_ERROR"
	}
	if msg == "" {
		msg = def
	}
	return map[string]any{"status": "error", "category": cat, "message": msg, "context": ctx}
}

// applyFault answers r according to f.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f *Fault) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	switch f.Action {
	case ActRateLimit:
		if s.opts.Kind == KindPipedrive && w.Header().Get("X-Ratelimit-Remaining") != "" {
			// Pipedrive's burst 429: the window is full. Room left in it
			// is the signature of a spent daily token budget instead.
			w.Header().Set("X-Ratelimit-Remaining", "0")
		}
		s.writeFaultStatus(w, f, http.StatusTooManyRequests)
	case ActDailyLimit:
		s.writeRateLimited(w, "DAILY")
	case ActApplyThenError:
		s.apply(r)
		s.writeFaultStatus(w, f, http.StatusBadGateway)
	case ActApplyThenHang:
		s.apply(r)
		s.hang(r.Context(), f.Delay)
	case ActApplyThenDrop:
		s.apply(r)
		drop(w)
	case ActDrop:
		drop(w)
	case ActHang:
		s.hang(r.Context(), f.Delay)
	case ActSlow:
		s.sleep(r.Context(), f.Delay, f.Jitter)
		s.api.ServeHTTP(w, r)
	case ActTruncate:
		rec := s.apply(r)
		copyHeader(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		b := rec.Body.Bytes()
		_, _ = w.Write(b[:len(b)/2])
	case ActMalformed:
		rec := s.apply(r)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		_, _ = w.Write([]byte(`{"status":"COMPLETE","results":[{"id":,}`))
	case ActPartial, ActOmit:
		s.api.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxPartial{}, f)))
	default:
		s.writeFaultStatus(w, f, http.StatusServiceUnavailable)
	}
}

func (s *Server) writeFaultStatus(w http.ResponseWriter, f *Fault, def int) {
	status := f.Status
	if status == 0 {
		status = def
	}
	switch {
	case f.Body != "":
		w.Header().Set("Content-Type", pick(f.HTML, "text/html", "application/json"))
		w.WriteHeader(status)
		_, _ = w.Write([]byte(f.Body))
	case f.HTML:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(htmlError(status)))
	default:
		writeJSON(w, status, s.defaultError(status))
	}
}

// apply runs the request against the API, keeping the answer aside.
func (s *Server) apply(r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.api.ServeHTTP(rec, r)
	return rec
}

func (s *Server) hang(ctx context.Context, d time.Duration) {
	if d <= 0 {
		d = 2 * time.Minute
	}
	s.sleep(ctx, d, 0)
}

func (s *Server) sleep(ctx context.Context, d, jitter time.Duration) {
	if jitter > 0 {
		s.mu.Lock()
		d += time.Duration(s.rng.Int64N(int64(2*jitter))) - jitter
		s.mu.Unlock()
	}
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2 or a recorder: abort the stream instead
	}
	_ = conn.Close()
}

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = v
	}
}

// UnmarshalJSON reads a Fault, taking delay and jitter either as Go
// durations ("1.5s") or as nanoseconds, and refusing a key it does not
// know: a misspelt "pth" left a rule on every path.
func (f *Fault) UnmarshalJSON(b []byte) error {
	type plain Fault
	var aux struct {
		*plain
		Delay  json.RawMessage `json:"delay,omitempty"`
		Jitter json.RawMessage `json:"jitter,omitempty"`
	}
	aux.plain = (*plain)(f)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&aux); err != nil {
		return err
	}
	var err error
	if f.Delay, err = parseDuration(aux.Delay); err != nil {
		return fmt.Errorf("delay: %w", err)
	}
	if f.Jitter, err = parseDuration(aux.Jitter); err != nil {
		return fmt.Errorf("jitter: %w", err)
	}
	return nil
}

func parseDuration(raw json.RawMessage) (time.Duration, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return time.ParseDuration(s)
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, err
	}
	return time.Duration(n), nil
}
