// Package pipedrive is the syncd.CRM adapter for Pipedrive API v2: persons
// found by exact email (or phone) search or created, deals found through
// their lead-id custom field or created with person_id.
//
// Pipedrive enforces no uniqueness, so the adapter makes a lost answer
// harmless itself:
//   - every id is recorded in Links as soon as it is known, and a linked
//     record is updated by id (PATCH is idempotent);
//   - a person is created only when Links and an exact search find nothing,
//     a deal only when Links and its person's deals show none with its lead
//     id;
//   - every create is guarded (guard.go): an intent stamped with the moment
//     the request was sent, and, on a later attempt, a wait of Settle, a
//     second look by search and by the list of the most recently added
//     records, and a new create only once that list must show the record
//     if it existed; in doubt it waits and raises an alarm.
//
// POSTs are therefore never resent by the HTTP layer: the adapter's own
// lookup on the next attempt is what makes resending safe.
package pipedrive

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Name is the adapter's name: the outbox target and Links target.
const Name = "pipedrive"

// Options configure the adapter. Zero values take the defaults noted.
type Options struct {
	BaseURL string // e.g. "https://acme.pipedrive.com/api/v2"
	Token   string // API token, sent as x-api-token

	// LeadIDField is the deal custom field that holds syncd's lead id, by
	// its name or its 40-character key: how a deal is found again. Required.
	LeadIDField string
	// LeadIDFieldWhere says where the configuration sets LeadIDField, for
	// advice that names every place a renamed field is written (e.g.
	// "crm.pipedrive.lead_id_field in /etc/syncd/syncd.yaml:12"). Default
	// "crm.pipedrive.lead_id_field".
	LeadIDFieldWhere string
	// Links records ids as soon as they are known and the intents that
	// guard creates; the syncer's store in production. Default in-memory.
	Links syncd.Links
	// Settle is how long Pipedrive's search and lists may miss a new
	// record: an unconfirmed create is not looked for again, nor repeated,
	// until Settle after it was sent. Default 1m.
	Settle time.Duration
	// ClockSkew is how far Pipedrive's add_time may be from ours beyond
	// what its answers' Date header shows of its clock (crm.TheirClock).
	// Default 5s.
	ClockSkew time.Duration
	// Modes say which properties are written only on create, and which
	// emails and phones are added to a person's lists (the mapping files'
	// write:); nil writes every property every time.
	Modes syncd.WriteModes
	// Fields are the fields the mappings write, with the constant values
	// they write (mapping.Rules.Fields): an enum option no mapping writes
	// as a constant came from the payload, and is the lead's own fault,
	// not the account's. nil knows none.
	Fields []syncd.FieldSpec
	// Keys keeps the keys of the fields setup made or found, by which a
	// field renamed in Pipedrive is recognised; nil keeps none.
	Keys FieldKeys
	// TimeZone is the IANA name of the zone a time or time range field's
	// value is in when it names none (report.time_zone); default UTC.
	TimeZone string
	// Concurrency is how many records are written at once; default 4.
	Concurrency int
	// Pin is the account the token must belong to (its Want a company
	// id): nothing is written, erased or set up in another. nil pins none.
	// New sets its Read.
	Pin *crm.Pin

	// HTTP configures the client. RateLimit 0 takes 20 requests per 2 s
	// (raise it to the plan's burst limit); negative turns it off.
	HTTP   crm.Options // its Name and Logger are set by New
	Logger zerolog.Logger
	Now    func() time.Time
}

// Adapter is the Pipedrive syncd.CRM.
type Adapter struct {
	opts    Options
	http    *crm.Client
	lags    *lagBounds                       // how far behind the lists are, for guarded creates
	intents crm.Intents                      // when each unconfirmed create was sent
	spent   spent                            // the daily token budget, once a 429 showed it spent
	schema  atomic.Pointer[schema]           // fields, pipelines, stages (Resolve)
	modes   atomic.Pointer[syncd.WriteModes] // opts.Modes until SetModes
	fields  atomic.Pointer[syncd.Fields]     // opts.Fields by kind and name, until SetFields
	token   atomic.Pointer[string]           // opts.Token until SetToken
	// rereading lets one refused write at a time read the schema again.
	rereading sync.Mutex
	waited    waits // records refused within a minute of a reading (stale.go)
}

var _ syncd.CRM = (*Adapter)(nil)

// New returns an adapter configured from opts.
func New(opts Options) *Adapter {
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if opts.Links == nil {
		opts.Links = &crm.MemLinks{}
	}
	if opts.Settle <= 0 {
		opts.Settle = time.Minute
	}
	if opts.ClockSkew <= 0 {
		opts.ClockSkew = 5 * time.Second
	}
	if opts.HTTP.Timeout <= 0 {
		opts.HTTP.Timeout = 30 * time.Second // the client's default, which guarded creates reckon with
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.TimeZone == "" {
		opts.TimeZone = "UTC"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := opts.HTTP
	h.Name, h.Logger = Name, opts.Logger
	switch {
	case h.RateLimit == 0:
		h.RateLimit, h.RateInterval = 20, 2*time.Second
	case h.RateLimit < 0:
		h.RateLimit = 0
	}
	if h.RateLimit > 0 && h.Budgets == nil {
		h.Budgets = map[string]crm.Budget{searchBudget: {Limit: 10, Interval: 2 * time.Second}}
	}
	a := &Adapter{
		opts:    opts,
		http:    crm.NewHTTPClient(h),
		lags:    &lagBounds{},
		intents: crm.IntentsOf(opts.Links),
	}
	if a.opts.Pin == nil {
		a.opts.Pin = &crm.Pin{}
	}
	a.opts.Pin.Read = a.Account
	a.SetModes(opts.Modes)
	a.SetFields(opts.Fields)
	a.token.Store(&opts.Token)
	return a
}

// SetToken replaces the API token, as when the configuration is reloaded
// on SIGHUP after Pipedrive rejected the old one: calls from then on carry
// it, and a pinned account (Pin) is read again before the next write.
func (a *Adapter) SetToken(token string) {
	a.token.Store(&token)
	a.opts.Pin.Reset()
}

// Pin is the account pin checked before every write (Options.Pin): a
// reload of the configuration may pin another account with its SetWant.
func (a *Adapter) Pin() *crm.Pin { return a.opts.Pin }

// SetModes replaces the write modes (the mapping files' `write:`), as
// when the mappings are reloaded on SIGHUP: calls from then on follow them.
func (a *Adapter) SetModes(m syncd.WriteModes) { a.modes.Store(&m) }

// writeModes are the write modes in use.
func (a *Adapter) writeModes() syncd.WriteModes { return *a.modes.Load() }

// Name returns "pipedrive".
func (a *Adapter) Name() string { return Name }

func (a *Adapter) header() http.Header { return http.Header{"X-Api-Token": {*a.token.Load()}} }

func (a *Adapter) url(path string, q url.Values) string {
	u := a.opts.BaseURL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// do sends a call and decodes a 2xx answer's data into v (when not nil).
func (a *Adapter) do(ctx context.Context, call crm.Call, v any) (*crm.Response, error) {
	call.Header = a.header()
	if err := a.spent.check(a.opts.Now()); err != nil {
		return nil, err // not one more request while the budget is spent
	}
	resp, err := a.http.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return resp, a.classify(resp)
	}
	if v != nil {
		if err := crm.DecodeJSON(resp, v); err != nil {
			return resp, err
		}
	}
	return resp, nil
}

// classify turns a non-2xx answer into a CRMError.
func (a *Adapter) classify(resp *crm.Response) *syncd.CRMError {
	var e struct {
		Error     string `json:"error"`
		ErrorInfo string `json:"error_info"`
	}
	html := strings.Contains(resp.Header.Get("Content-Type"), "html")
	if !html {
		_ = crm.DecodeJSON(resp, &e)
	}
	daily := resp.Status == http.StatusTooManyRequests &&
		(resp.Header.Get("X-Daily-Requests-Left") == "0" || crm.PipedriveTokensSpent(resp.Header))
	now := a.opts.Now()
	ce := crm.Classify(resp.Status, resp.Header, "", e.Error, daily, untilNextHour(now), now)
	if daily {
		ce.Code = syncd.CodeDailyBudget
		a.spent.set(now.Add(ce.RetryAfter), ce)
	}
	if resp.Status == http.StatusForbidden && html {
		// The edge's answer to a client that kept calling after 429s, not
		// a missing permission: back off instead of pausing for an alarm.
		ce.Class, ce.Code, ce.Message = syncd.ErrRetry, syncd.CodeEdgeBlocked, "blocked by Pipedrive's edge after repeated 429s"
		if ce.RetryAfter < time.Minute {
			ce.RetryAfter = time.Minute
		}
	}
	return ce
}

// each runs fn for every index with at most Concurrency at once.
func (a *Adapter) each(n int, fn func(i int)) {
	sem := make(chan struct{}, a.opts.Concurrency)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

// upsertEach writes each distinct key of items once, a few at a time
// (write gets the items with the key, in order), and gives every item its
// key's Result.
func upsertEach[T any](a *Adapter, items []T, key func(T) string, write func([]T) syncd.Result) []syncd.Result {
	results := make([]syncd.Result, len(items))
	keys, idx := unique(len(items), func(i int) string { return key(items[i]) })
	a.each(len(keys), func(j int) {
		is := idx[keys[j]]
		same := items[is[0] : is[0]+1]
		if len(is) > 1 {
			same = make([]T, len(is))
			for n, i := range is {
				same[n] = items[i]
			}
		}
		r := write(same)
		for _, i := range is {
			results[i] = r
		}
	})
	return results
}

// unique groups indexes by key, keeping first-seen order of keys; the last
// index of each key carries the newest data.
func unique(n int, key func(i int) string) (keys []string, idx map[string][]int) {
	idx = map[string][]int{}
	for i := range n {
		k := key(i)
		if _, ok := idx[k]; !ok {
			keys = append(keys, k)
		}
		idx[k] = append(idx[k], i)
	}
	return keys, idx
}
