// Package crm holds what the CRM adapters share: the HTTP client built on
// go-retryablehttp with a retry policy written for CRMs, a client-side
// rolling-window rate limiter corrected by the CRM's rate-limit headers, an
// observer for metrics, and helpers to classify CRM answers into
// syncd.CRMError classes.
package crm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Observer receives the client's counters, so metrics can be wired without
// this package knowing about them (*metrics.Metrics satisfies it).
// Implementations must be safe for concurrent use.
type Observer interface {
	// CRMRequest is called once per HTTP attempt: status 0 when no answer arrived.
	CRMRequest(crm, op string, status int, elapsed time.Duration)
	// RateLimitWait is called when the client-side limiter held a request back.
	RateLimitWait(crm string, waited time.Duration)
}

// WaitObserver is an Observer told too, before the client-side rate
// limiter holds a request back, for how long and by which limit: limit
// requests per interval, as configured or as the CRM's headers set it, of
// the further budget named (Options.Budgets) or, "", of the general one;
// crmPaused when the CRM refused a request with 429 and the limiter waits
// out the time it gave, whatever the limit. A command can say so why it
// is silent.
type WaitObserver interface {
	RateLimitWaiting(crm, op string, d time.Duration, budget string, limit int, interval time.Duration, crmPaused bool)
}

// Options configure a Client. Zero values take the defaults noted.
type Options struct {
	Name          string            // CRM name for the observer and logs, e.g. "hubspot"
	Timeout       time.Duration     // per attempt, from when the rate limiter lets it go; default 30s
	RetryMax      int               // resends inside one call; default 3, negative for none
	RetryWaitMin  time.Duration     // first back-off; default 500ms
	RetryWaitMax  time.Duration     // longest back-off; default 30s
	RetryAfterCap time.Duration     // longest Retry-After waited for inside a call; default 30s
	RateLimit     int               // requests per RateInterval; 0 for no client-side limit
	RateInterval  time.Duration     // window of RateLimit; default 10s
	Budgets       map[string]Budget // further budgets calls may spend (Call.Budget), e.g. a search limit
	Observer      Observer          // may be nil
	Logger        zerolog.Logger
	Transport     http.RoundTripper // default: a pooled cleanhttp transport checking silent HTTP/2 connections (defaultTransport)
	Now           func() time.Time  // clock of the rate limiter; default time.Now
	// StopGrace is how long a write already sent (any method but GET and
	// HEAD) may take to answer once the caller's context has ended (syncd
	// stopping), within Timeout; default 5s. Its answer is then taken,
	// and no retry sent.
	StopGrace time.Duration
}

func (o *Options) defaults() {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	switch {
	case o.RetryMax == 0:
		o.RetryMax = 3
	case o.RetryMax < 0:
		o.RetryMax = 0
	}
	if o.RetryWaitMin <= 0 {
		o.RetryWaitMin = 500 * time.Millisecond
	}
	if o.RetryWaitMax <= 0 {
		o.RetryWaitMax = 30 * time.Second
	}
	if o.RetryAfterCap <= 0 {
		o.RetryAfterCap = 30 * time.Second
	}
	if o.RateInterval <= 0 {
		o.RateInterval = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.StopGrace <= 0 {
		o.StopGrace = 5 * time.Second
	}
	if o.Transport == nil {
		o.Transport = defaultTransport(o.Timeout)
	}
}

// defaultTransport is a pooled cleanhttp transport whose HTTP/2
// connections are checked with a ping once silent for a third of
// timeout, and closed when a third more passes without its answer. Over
// HTTP/2 (HubSpot, Pipedrive) every request rides one connection: one
// dropped by a firewall or NAT without a word would otherwise take every
// later request too, each timing out, until the kernel gives the
// connection up, a quarter of an hour later. Checked so, it is closed
// before the attempt in it times out, and the next one dials afresh; a
// CRM slow to answer still answers pings, and keeps its connection.
func defaultTransport(timeout time.Duration) *http.Transport {
	tr := cleanhttp.DefaultPooledTransport()
	tr.HTTP2 = &http.HTTP2Config{SendPingTimeout: timeout / 3, PingTimeout: timeout / 3}
	return tr
}

// Client sends CRM calls with retries and rate limiting.
type Client struct {
	name    string
	rc      *retryablehttp.Client
	limiter *Limiter
	log     zerolog.Logger
	now     func() time.Time
	cap     time.Duration
	clock   clockReading // the CRM's clock, from its last answer's Date
}

// NewHTTPClient returns a Client configured from opts.
func NewHTTPClient(opts Options) *Client {
	opts.defaults()
	lim := NewLimiter(opts.RateLimit, opts.RateInterval, opts.Now)
	policy := Policy{RetryAfterCap: opts.RetryAfterCap, Now: opts.Now}
	rc := &retryablehttp.Client{
		HTTPClient: &http.Client{
			// No Client.Timeout: it would count the wait for the rate
			// limiter; the transport bounds each attempt instead.
			Transport: &transport{base: opts.Transport, name: opts.Name, lim: lim, budgets: newBudgets(opts.Budgets, opts.Now),
				obs: opts.Observer, now: opts.Now,
				timeout: opts.Timeout, grace: opts.StopGrace},
			CheckRedirect: sameOrigin,
		},
		Logger:          nil, // its lines say URLs whole: see reqlog.go
		RequestLogHook:  logRequest(opts.Logger),
		ResponseLogHook: logAnswer(opts.Logger),
		RetryWaitMin:    opts.RetryWaitMin,
		RetryWaitMax:    opts.RetryWaitMax,
		RetryMax:        opts.RetryMax,
		CheckRetry:      policy.CheckRetry,
		Backoff:         policy.Backoff,
		ErrorHandler:    retryablehttp.PassthroughErrorHandler,
	}
	return &Client{name: opts.Name, rc: rc, limiter: lim, log: opts.Logger, now: opts.Now, cap: opts.RetryAfterCap}
}

// sameOrigin follows a redirect only within the first request's scheme,
// host and port: net/http passes the request's headers on, Pipedrive's
// x-api-token to any host and Authorization to any port of the same one,
// http:// too, and a 307 the leads in its body.
func sameOrigin(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	switch {
	case req.URL.Scheme != first.Scheme || req.URL.Host != first.Host:
		return fmt.Errorf("redirected to %s://%s, not followed: the token and leads are for %s://%s only (fix the CRM's base_url)",
			req.URL.Scheme, req.URL.Host, first.Scheme, first.Host)
	case len(via) >= 10:
		return errors.New("stopped after 10 redirects")
	}
	return nil
}

// Limiter returns the client's rate limiter (nil when unlimited).
func (c *Client) Limiter() *Limiter { return c.limiter }

// Call is one request to a CRM.
type Call struct {
	Op     string // operation name for metrics, e.g. "contacts_upsert"
	Method string
	URL    string
	Header http.Header
	Body   any    // sent as JSON when not nil
	JSON   []byte // a body already encoded as JSON, sent as is when not nil; takes the place of Body
	Safe   bool   // a POST that is safe to resend (batch upsert, search)
	Budget string // a further rate budget (Options.Budgets) it spends besides the general one; "" none
}

// Response is a CRM's answer, body read in full.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// maxBody bounds what is read from a CRM answer.
const maxBody = 32 << 20

// Do sends call and reads the answer. A non-2xx answer is a Response, not an
// error: the adapter classifies it with the CRM's own error body. An error
// is a *syncd.CRMError of class ErrRetry: no complete answer arrived (its
// Status is 0, also when headers came and their body did not), so the
// caller cannot know whether a write happened.
func (c *Client) Do(ctx context.Context, call Call) (*Response, error) {
	body, err := call.body()
	if err != nil {
		return nil, err
	}
	safe := call.Safe || Idempotent(call.Method)
	ctx = withBudget(withOp(withSafe(ctx, safe), call.Op), call.Budget)
	var reached atomic.Bool // an attempt wrote its request's headers: the CRM may have read it
	ctx = withReached(ctx, &reached)
	req, err := retryablehttp.NewRequestWithContext(ctx, call.Method, call.URL, body)
	if err != nil {
		return nil, fmt.Errorf("new request %s: %w", call.Op, err)
	}
	for k, v := range call.Header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	asked := c.now()
	resp, err := c.rc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, &syncd.CRMError{Class: syncd.ErrRetry, Code: "CANCELED", Message: call.Op + ": " + ctx.Err().Error()}
		}
		c.log.Debug().Str("op", call.Op).Str("error", netMessage(err)).Msg("crm call got no answer")
		return nil, &syncd.CRMError{Class: syncd.ErrRetry, Code: syncd.CodeNetwork, Message: call.Op + ": " + netMessage(err),
			Unreached: !reached.Load()}
	}
	defer resp.Body.Close()
	c.clock.set(TheirClock(resp.Header, asked, c.now()))
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		// Headers without their body are no answer: Status 0, as the
		// syncer takes it (the records did not cause it, and it uses up
		// none of their attempts), the status in the message. Cut short
		// by the caller (Ctrl-C, a shutdown), it is CANCELED, as a call
		// canceled before its headers came: no network fault.
		code := syncd.CodeNetwork
		if ctx.Err() != nil {
			code = "CANCELED"
		}
		return nil, &syncd.CRMError{Class: syncd.ErrRetry, Code: code,
			Message: fmt.Sprintf("%s: answer cut short after %d %s: %v", call.Op, resp.StatusCode, http.StatusText(resp.StatusCode), err)}
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

// body is what call sends: its JSON bytes, else Body encoded, else nil.
func (call Call) body() (any, error) {
	if call.JSON != nil {
		return call.JSON, nil
	}
	if call.Body == nil {
		return nil, nil
	}
	b, err := json.Marshal(call.Body)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", call.Op, err)
	}
	return b, nil
}

// netMessage describes a transport error without its URL, whose query may
// hold personal data (a search term).
func netMessage(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + ue.Err.Error()
	}
	return "no answer"
}

// DecodeJSON decodes a successful answer; a body that does not decode (a
// truncated or malformed answer) is an ErrRetry CRMError, since the write
// may or may not have happened.
func DecodeJSON(resp *Response, v any) error {
	if err := json.Unmarshal(resp.Body, v); err != nil { // the body is in memory: a Decoder would copy it
		return &syncd.CRMError{Status: resp.Status, Class: syncd.ErrRetry, Code: "BAD_JSON",
			Message: "decode answer: " + err.Error()}
	}
	return nil
}

// transport applies the rate limiter before each attempt, then bounds the
// attempt by timeout, and reports each attempt to the observer.
type transport struct {
	base    http.RoundTripper
	name    string
	lim     *Limiter
	budgets map[string]*Limiter // further budgets by name (budgets.go)
	obs     Observer
	now     func() time.Time
	timeout time.Duration
	grace   time.Duration // how long an attempt under way outlives its caller's context (attempt)
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	actx := req.Context()
	if wo, ok := t.obs.(WaitObserver); ok {
		op := opOf(actx)
		actx = withWaiting(actx, func(d time.Duration, budget string, limit int, interval time.Duration, crmPaused bool) {
			wo.RateLimitWaiting(t.name, op, d, budget, limit, interval, crmPaused)
		})
	}
	own, oslot, slot, waited, err := t.acquire(actx)
	if waited > 0 && t.obs != nil {
		t.obs.RateLimitWait(t.name, waited)
	}
	if err != nil {
		return nil, err
	}
	start := t.now()
	left, err := sendWithin(req.Context(), start, t.timeout)
	if err == nil {
		err = req.Context().Err() // stopped meanwhile: an attempt not begun is not begun now (attempt)
	}
	if err != nil { // not sent: the CRM counts nothing
		t.lim.release(slot)
		own.release(oslot)
		return nil, err
	}
	parent := req.Context()
	req, cancel := attempt(req, left, t.grace)
	resp, err := t.send(req, safeOf(parent))
	if err != nil {
		if parent.Err() == nil && errors.Is(req.Context().Err(), context.DeadlineExceeded) {
			// No answer within the timeout: the connection may have
			// been dropped without a word (a firewall, NAT), and the
			// idle ones with it. net/http closes this one; the next
			// attempt would take an idle one and time out in its turn,
			// so it dials afresh instead.
			t.CloseIdleConnections()
		}
		cancel()
	} else {
		resp.Body = cancelBody{resp.Body, cancel}
	}
	t.lim.Settle(slot)
	own.Settle(oslot)
	status := 0
	if resp != nil {
		status = resp.StatusCode
		switch {
		case own != nil:
			correctOwn(own, resp, t.now()) // the answer describes the call's own budget
		case !spendsBudget(req.Context()):
			t.lim.adoptGeneral(resp)
			t.correct(resp)
		default:
			t.correct(resp)
		}
	}
	if t.obs != nil {
		t.obs.CRMRequest(t.name, opOf(req.Context()), status, time.Since(start))
	}
	return resp, err
}

// CloseIdleConnections closes the idle connections of the transport
// underneath, as http.Client.CloseIdleConnections asks (go-retryablehttp
// does after a call that failed).
func (t *transport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// correct feeds the CRM's rate-limit headers back into the limiter.
func (t *transport) correct(resp *http.Response) {
	if t.lim == nil {
		return
	}
	if limit, interval, ok := HubSpotWindow(resp.Header); ok {
		t.lim.Adopt(limit, interval)
	}
	if n, left, ok := HubSpotSecondly(resp.Header); ok {
		t.lim.AdoptSecondly(n, left)
	}
	max, remaining := RateHeaders(resp.Header)
	if resp.StatusCode == http.StatusTooManyRequests {
		if d, ok := RetryAfter(resp.Header, t.now()); ok && d > 0 {
			t.lim.Pause(d)
			return
		}
		if !hubspotOtherLimit(resp.Header, remaining) {
			remaining = 0
		}
	}
	t.lim.Observe(max, remaining)
}
