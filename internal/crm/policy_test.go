package crm

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

func TestCheckRetry(t *testing.T) {
	p := Policy{RetryAfterCap: 10 * time.Second}
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	read := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	resp := func(status int, h ...string) *http.Response {
		r := &http.Response{StatusCode: status, Header: http.Header{}}
		for i := 0; i+1 < len(h); i += 2 {
			r.Header.Set(h[i], h[i+1])
		}
		return r
	}
	cases := []struct {
		name string
		safe bool
		resp *http.Response
		err  error
		want bool
	}{
		{"200", false, resp(200), nil, false},
		{"400", true, resp(400), nil, false},
		{"401", true, resp(401), nil, false},
		{"409", true, resp(409), nil, false},
		{"429 unsafe", false, resp(429), nil, true},
		{"429 retry-after within cap", false, resp(429, "Retry-After", "3"), nil, true},
		{"429 retry-after past cap", true, resp(429, "Retry-After", "11"), nil, false},
		{"429 date past cap", true, resp(429, "Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)), nil, false},
		{"429 hubspot daily", true, resp(429, "X-HubSpot-RateLimit-Daily-Remaining", "0"), nil, false},
		{"429 pipedrive daily", true, resp(429, "X-Daily-Requests-Left", "0"), nil, false},
		{"500 safe", true, resp(500), nil, true},
		{"502 unsafe POST", false, resp(502), nil, false},
		{"503 safe", true, resp(503), nil, true},
		{"501", true, resp(501), nil, false},
		{"dial error unsafe", false, nil, dial, true},
		{"reset unsafe", false, nil, read, false},
		{"reset safe", true, nil, read, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.CheckRetry(withSafe(context.Background(), tc.safe), tc.resp, tc.err)
			if err != nil || got != tc.want {
				t.Fatalf("CheckRetry = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got, err := p.CheckRetry(withSafe(ctx, true), resp(503), nil); got || err != nil {
		t.Fatalf("CheckRetry of an answer after the context ended = %v, %v; want no retry, the answer taken", got, err)
	}
	if got, err := p.CheckRetry(withSafe(ctx, true), nil, read); got || err == nil {
		t.Fatal("retried after the context ended")
	}
}

func TestClassify(t *testing.T) {
	now := time.Date(2026, 11, 23, 22, 0, 0, 0, time.UTC)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	cases := []struct {
		status int
		h      http.Header
		daily  bool
		class  syncd.ErrClass
		after  time.Duration
	}{
		{400, h(), false, syncd.ErrPermanent, 0},
		{404, h(), false, syncd.ErrPermanent, 0},
		{409, h(), false, syncd.ErrPermanent, 0},
		{422, h(), false, syncd.ErrPermanent, 0},
		{401, h(), false, syncd.ErrAuth, 0},
		{403, h(), false, syncd.ErrAuth, 0},
		{402, h(), false, syncd.ErrAuth, 0},
		{408, h(), false, syncd.ErrRetry, 0},
		{429, h(), false, syncd.ErrRetry, 0},
		{429, h("Retry-After", "120"), false, syncd.ErrRetry, 2 * time.Minute},
		{429, h("Retry-After", now.Add(time.Hour).Format(http.TimeFormat)), false, syncd.ErrRetry, time.Hour},
		{429, h(), true, syncd.ErrDailyLimit, 2 * time.Hour},
		{500, h(), false, syncd.ErrRetry, 0},
		{503, h("Retry-After", "30"), false, syncd.ErrRetry, 30 * time.Second},
	}
	for _, tc := range cases {
		e := Classify(tc.status, tc.h, "CODE", "", tc.daily, UntilMidnight(now, time.UTC), now)
		if e.Class != tc.class || e.RetryAfter != tc.after || e.Status != tc.status || e.Message == "" {
			t.Errorf("%d %v daily=%v: got %v after %v, want %v after %v", tc.status, tc.h, tc.daily, e.Class, e.RetryAfter, tc.class, tc.after)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"0": 0, "7": 7 * time.Second, "1.5": 1500 * time.Millisecond, "-3": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	} {
		got, ok := RetryAfter(http.Header{"Retry-After": {v}}, now)
		if !ok || got != want {
			t.Errorf("%q: %v %v, want %v", v, got, ok, want)
		}
	}
	if _, ok := RetryAfter(http.Header{"Retry-After": {"soon"}}, now); ok {
		t.Error("garbage parsed")
	}
	if _, ok := RetryAfter(http.Header{}, now); ok {
		t.Error("absent parsed")
	}
}

func TestExpBackoffGrowsWithinBounds(t *testing.T) {
	min, max := 100*time.Millisecond, 2*time.Second
	for attempt := range 10 {
		want := min << attempt
		if want > max {
			want = max
		}
		for range 50 {
			d := syncd.Backoff(min, max, attempt, randN)
			if d < want/2 || d > want {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, want/2, want)
			}
		}
	}
}
