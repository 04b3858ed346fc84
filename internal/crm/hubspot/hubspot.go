// Package hubspot is the syncd.CRM adapter for HubSpot CRM v3/v4: contacts
// by batch upsert on email, deals by batch upsert on a unique lead-id
// property, each deal associated with its contact. Batch upsert is
// idempotent, so every write may be resent safely.
//
// Contacts known only by phone cannot be upserted on email. With
// Options.ContactKeyProperty (a custom unique-value contact property the
// operator creates) they are batch-upserted on it, keyed by the contact's
// Key. Without it they are looked up in Links, then by search on phone, and
// created only when both find nothing; the create is guarded by an intent in
// Links (crm.Guard), so that a create whose answer was lost is found by
// search later instead of being repeated.
package hubspot

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Name is the adapter's name: the outbox target and Links target.
const Name = "hubspot"

// searchBudget names the budget of the search API, which HubSpot limits on
// its own: 5 requests per second per account (an older changelog said 4
// per second per token), besides the 10-second window. Its answers carry
// no rate-limit headers, and its 429 does not say the window is full: sent
// within the general window alone, a burst of searches (phone-only leads)
// earned 429s, each of which held every HubSpot call back for the whole
// 10-second window.
const searchBudget = "search"

// searchLimit is the searches sent per second: the lower of the two
// figures HubSpot has published, as other integrations on the account may
// search too.
const searchLimit = 4

// Options configure the adapter. Zero values take the defaults noted.
type Options struct {
	BaseURL string // default "https://api.hubapi.com"
	Token   string // private app token (the config layer reads it from a file or credential)

	DealKeyProperty    string // unique deal property holding the lead id; default "syncd_lead_id"
	ContactKeyProperty string // unique contact property for phone-only contacts; "" to search then create
	BatchSize          int    // inputs per batch request, at most 100; default 100

	// Links records ids of phone-only contacts and the intents that guard
	// their creation; default an in-memory map.
	Links syncd.Links
	// Modes say which properties are written only when a record is
	// created (the mapping files' write: create): existing records are
	// read first and updated without them. nil writes everything.
	Modes syncd.WriteModes
	// Fields are the properties the mappings write, with the constant
	// values they write (mapping.Rules.Fields): an option HubSpot refuses
	// that no mapping writes as a constant came from the payload, and is
	// the lead's own fault, not the account's. nil knows none.
	Fields []syncd.FieldSpec
	// SearchLag is how long HubSpot search may miss a new contact; a
	// guarded create is not repeated within it. Default 2m.
	SearchLag time.Duration
	// TimeZone is the account's time zone, where the daily limit resets at
	// midnight; nil reads it from the account details API (UTC until known).
	TimeZone *time.Location
	// Pin is the account the token must belong to (its Want a hub id):
	// nothing is written, erased or set up in another. nil pins none. New
	// sets its Read.
	Pin *crm.Pin

	// HTTP configures the client. RateLimit 0 takes HubSpot's 100 requests
	// per 10 s; negative turns the client-side limiter off.
	HTTP   crm.Options // its Name and Logger are set by New
	Logger zerolog.Logger
	Now    func() time.Time
}

// Adapter is the HubSpot syncd.CRM.
type Adapter struct {
	opts  Options
	http  *crm.Client
	guard crm.Guard
	zone  accountZone
	modes atomic.Pointer[syncd.WriteModes] // opts.Modes until SetModes
	// fields are opts.Fields by kind and name, until SetFields
	fields atomic.Pointer[syncd.Fields]
	token  atomic.Pointer[string] // opts.Token until SetToken
	// props are the account's properties as the last account check read
	// them, by which values are written as their type takes them (asTaken)
	props   atomic.Pointer[accountProps]
	propsMu sync.Mutex // one loadProps reads them at a time
	// propsRefused is when HubSpot last refused loadProps its read (403)
	propsRefused time.Time
	propsFirst   atomic.Bool // ReadPropertiesBeforeWrites was called
	// written is the contact last written with each phone, while search
	// may still miss it (samephone.go)
	written justWritten
}

var _ syncd.CRM = (*Adapter)(nil)

// New returns an adapter configured from opts.
func New(opts Options) *Adapter {
	if opts.BaseURL == "" {
		opts.BaseURL = "https://api.hubapi.com"
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if opts.DealKeyProperty == "" {
		opts.DealKeyProperty = "syncd_lead_id"
	}
	if opts.BatchSize <= 0 || opts.BatchSize > 100 {
		opts.BatchSize = 100
	}
	if opts.Links == nil {
		opts.Links = &crm.MemLinks{}
	}
	if opts.SearchLag <= 0 {
		opts.SearchLag = 2 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := opts.HTTP
	h.Name = Name
	switch {
	case h.RateLimit == 0:
		h.RateLimit, h.RateInterval = 100, 10*time.Second
	case h.RateLimit < 0:
		h.RateLimit = 0
	}
	if h.RateLimit > 0 && h.Budgets == nil {
		h.Budgets = map[string]crm.Budget{searchBudget: {Limit: searchLimit, Interval: time.Second}}
	}
	h.Logger = opts.Logger
	a := &Adapter{
		opts:  opts,
		http:  crm.NewHTTPClient(h),
		guard: crm.Guard{Intents: crm.IntentsOf(opts.Links), Target: Name, Settle: opts.SearchLag, Now: opts.Now},
	}
	if a.opts.Pin == nil {
		a.opts.Pin = &crm.Pin{}
	}
	a.opts.Pin.Read = a.Account
	a.SetModes(opts.Modes)
	a.SetFields(opts.Fields)
	a.SetToken(opts.Token)
	return a
}

// SetToken replaces the private app token, as when the configuration is
// reloaded on SIGHUP after HubSpot rejected the old one: calls from then
// on carry it. A look-up of the account's time zone that failed is tried
// again at the next call, and so is the account of a pinned one (Pin),
// and the properties a 403 left unread (loadProps).
func (a *Adapter) SetToken(token string) {
	a.token.Store(&token)
	a.opts.Pin.Reset()
	a.zone.mu.Lock()
	a.zone.tried = time.Time{}
	a.zone.mu.Unlock()
	a.propsMu.Lock()
	a.propsRefused = time.Time{}
	a.propsMu.Unlock()
}

// Pin is the account pin checked before every write (Options.Pin): a
// reload of the configuration may pin another account with its SetWant.
func (a *Adapter) Pin() *crm.Pin { return a.opts.Pin }

// currentToken is the token in use.
func (a *Adapter) currentToken() string { return *a.token.Load() }

// SetModes replaces the write modes (the mapping files' `write:`), as
// when the mappings are reloaded on SIGHUP: calls from then on follow them.
func (a *Adapter) SetModes(m syncd.WriteModes) { a.modes.Store(&m) }

// SetFields replaces what the adapter knows of the properties the
// mappings write (Options.Fields), as when they are reloaded on SIGHUP.
func (a *Adapter) SetFields(fs []syncd.FieldSpec) {
	m := syncd.IndexFields(fs)
	a.fields.Store(&m)
}

// writeModes are the write modes in use.
func (a *Adapter) writeModes() syncd.WriteModes { return *a.modes.Load() }

// Name returns "hubspot".
func (a *Adapter) Name() string { return Name }

func (a *Adapter) header() http.Header {
	return http.Header{"Authorization": {"Bearer " + a.currentToken()}}
}

// apiError is HubSpot's error body; every field is optional.
type apiError struct {
	Status     string `json:"status"`
	Message    string `json:"message"`
	Category   string `json:"category"`
	ErrorType  string `json:"errorType"`
	PolicyName string `json:"policyName"`
	Errors     []struct {
		Message string `json:"message"`
		Code    string `json:"code"`
		Context struct {
			Scopes []string `json:"requiredGranularScopes"` // MISSING_SCOPES: what to add
		} `json:"context"`
	} `json:"errors"`
	Context map[string][]string `json:"context"`
}

// message is the error's message, naming the scopes a 403 asks for: the
// top message does not.
func (e apiError) message() string {
	return withScopes(e.Message, e.scopes())
}

// withScopes is msg naming the scopes a refusal for MISSING_SCOPES asks
// for, and where to add them.
func withScopes(msg string, scopes []string) string {
	if len(scopes) == 0 {
		return msg
	}
	return fmt.Sprintf("%s (the token needs scope %s: add it to the private app, Settings > Integrations > Private apps)",
		msg, strings.Join(scopes, " or "))
}

// scopes are the scopes a 403 says the call needs.
func (e apiError) scopes() []string {
	var scopes []string
	for _, x := range e.Errors {
		scopes = append(scopes, x.Context.Scopes...)
	}
	return scopes
}

// scopeError is a call refused for scopes the token lacks, naming them.
type scopeError struct {
	*syncd.CRMError
	scopes []string
}

func (e *scopeError) Unwrap() error { return e.CRMError }

// classifyRead is classify for the reads of check and setup: a 403 that
// names the scopes it needs keeps them, for the finding's fix.
func (a *Adapter) classifyRead(resp *crm.Response) error {
	ce := a.classify(resp)
	var e apiError
	if resp.Status != http.StatusForbidden || crm.DecodeJSON(resp, &e) != nil || len(e.scopes()) == 0 {
		return ce
	}
	return &scopeError{CRMError: ce, scopes: e.scopes()}
}

// classify turns a non-2xx answer into a CRMError.
func (a *Adapter) classify(resp *crm.Response) *syncd.CRMError {
	var e apiError
	_ = crm.DecodeJSON(resp, &e) // an HTML or empty body leaves e empty
	code := e.Category
	if code == "" {
		code = e.ErrorType
	}
	if len(e.Errors) > 0 && e.Errors[0].Code != "" {
		code = e.Errors[0].Code
	}
	if e.PolicyName != "" && resp.Status == http.StatusTooManyRequests {
		code = e.PolicyName
	}
	daily := resp.Status == http.StatusTooManyRequests &&
		(e.PolicyName == "DAILY" || resp.Header.Get("X-HubSpot-RateLimit-Daily-Remaining") == "0")
	now := a.opts.Now()
	// The limit resets at midnight by HubSpot's clock, which a host's may be
	// an hour off: counted from the answer's Date.
	ce := crm.Classify(resp.Status, resp.Header, code, e.message(), daily, a.untilReset(crm.AnsweredAt(resp.Header, now)), now)
	if r, ok := refusedValue(resp); ok {
		ce.Code, ce.Property = r.Error, r.Name // the field and why, for the dead letter
	}
	if p, ok := configProblem(resp); ok {
		ce.Class, ce.Property = syncd.ErrConfig, p.property
	}
	return ce
}
