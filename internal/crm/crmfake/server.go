// Package crmfake is an in-memory stand-in for HubSpot (CRM v3/v4) and
// Pipedrive (API v2) that follows the contracts in docs/crm-contracts.md: auth,
// rolling-window rate limits with their headers, the documented error
// bodies, duplicate-email 409s, search lag, batch limits, and fault
// injection driven from Go (AddFault) or over HTTP (/__admin/faults).
// For HubSpot it also plays what changes under a client: contacts merged
// or deleted by a person (MergeContacts, DeleteContact, or the API),
// batch answers without the echo of their inputs (NoEcho), a per-second
// limit (SecondlyLimit), and the account's time zone, where the daily
// limit resets (TimeZone, served by the account details API).
// For Pipedrive: lists that lag apart from search (ListLag), persons with
// lists of emails and phones, the search limit in search answers' headers,
// and a daily token budget (DailyTokens). For both: a person's edit between
// two syncs (EditContact, EditDeal, POST /__admin/edit/...).
//
// Every request goes through auth, then the rate limit, then the fault
// rules, then the handler. Tests use Start (127.0.0.1:0); the
// `syncd fakecrm` command uses Run.
package crmfake

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Kinds of CRM the fake can stand in for.
const (
	KindHubSpot   = "hubspot"
	KindPipedrive = "pipedrive"
)

// DefaultPipedriveLeadField is the 40-character custom field key the fake
// uses for the lead id on Pipedrive deals unless Options say otherwise.
const DefaultPipedriveLeadField = "5f1a2b3c4d5e6f708192a3b4c5d6e7f801234567"

// Options configure a Server. Zero values take the defaults noted.
type Options struct {
	Kind  string // KindHubSpot (default) or KindPipedrive
	Token string // the token every request must carry; "" accepts any

	RateLimit    int           // requests per RateInterval (rolling; HubSpot: per app, its token); 0 for none
	RateInterval time.Duration // default 10s for HubSpot, 2s for Pipedrive
	DailyLimit   int           // requests per day, every token's (the account's; Pipedrive: POST, PUT and PATCH only); 0 for none
	DailyTokens  int           // Pipedrive: daily token budget (pipedrive_limits.go); 0 for none
	// SecondlyLimit is HubSpot's per-second limit on top of the window
	// (X-HubSpot-RateLimit-Secondly); 0 for none.
	SecondlyLimit int
	SearchLimit   int           // search requests per SearchWindow; 0 for none
	SearchWindow  time.Duration // default 1s for HubSpot, 2s for Pipedrive
	// EdgeBlockAfter makes Pipedrive's edge answer 403 HTML once a client
	// has received this many 429s in a row; 0 never.
	EdgeBlockAfter int

	SearchLag time.Duration // a new record is invisible to search this long
	ListLag   time.Duration // and to Pipedrive's lists (GET /persons, /deals) this long

	// HubSpot unique properties usable as idProperty in batch upsert.
	ContactKeyProperty string // default "syncd_contact_key"
	DealKeyProperty    string // default "syncd_lead_id"
	// KnownProperties, when set, makes any other property a 400
	// PROPERTY_DOESNT_EXIST (HubSpot).
	KnownProperties []string
	// Stages, when set, are the only valid dealstage values (HubSpot) or
	// stage_id values (Pipedrive); others are 400.
	Stages []string

	// DealsPerContact is the most deals one HubSpot contact may be
	// associated with, an association limit an admin set on the account:
	// an association past it is refused (hubspot_assoclimit.go); 0 for
	// none.
	DealsPerContact int

	// NoEcho makes HubSpot batch upsert results leave out the idProperty
	// and the objectWriteTraceId of their input (HubSpot promises neither
	// an echo nor an order).
	NoEcho bool
	// TimeZone is the account's time zone, served by HubSpot's account
	// details API and Pipedrive's users/me; the daily limit resets at
	// midnight there. Default UTC.
	TimeZone *time.Location
	// AccountID is the account the token belongs to: HubSpot's portalId
	// (account details API), Pipedrive's company_id (GET /api/v1/users/me,
	// with the domain "fake<id>"); default 1234567.
	AccountID int64
	// AccountType is HubSpot's accountType of the account (account
	// details API): STANDARD (default), SANDBOX, DEVELOPER_TEST, ...
	AccountType string

	LeadField string // Pipedrive deal custom field key of the lead id; default DefaultPipedriveLeadField
	// SoftDeleteDeals makes DELETE /api/v2/deals/{id} mark the deal deleted,
	// as Pipedrive does (docs/crm-contracts.md): GET shows it with
	// is_deleted and status "deleted", lists and search leave it out, and
	// PATCH is refused with 400. Otherwise a deleted deal is gone (404).
	SoftDeleteDeals bool
	// SoftDeletePersons makes DELETE /api/v2/persons/{id} move the person
	// to Pipedrive's trash, as Pipedrive does (docs/crm-contracts.md): GET
	// shows it with is_deleted, PATCH is refused with 400 (Pipedrive edits
	// no deleted person), and it is no longer searched, listed, merged,
	// given a deal, or in State. Otherwise a deleted person is gone (404).
	SoftDeletePersons bool
	// RegularUser makes the Pipedrive token a regular (not admin) user's
	// in GET /api/v1/users/me (is_admin 0, access admin false). The fake
	// still shows it every record: it plays no visibility groups, but for
	// a pipeline made Hidden (pipeline visibility), left out of its lists,
	// its deals refused (pipedrive_visibility.go).
	RegularUser bool

	// StrictSchema makes writes follow the account's schema (properties,
	// Pipedrive custom fields, enumeration options, stages): see
	// hubspot_schema.go and pipedrive_schema.go.
	StrictSchema bool
	// Scopes, when not nil, are the only scopes the HubSpot token has: a
	// request needing another is answered 403 MISSING_SCOPES.
	Scopes []string

	MaxLog int              // requests kept in the log; default 10000
	Now    func() time.Time // clock of rate windows and search lag; default time.Now
	Seed   uint64           // seed of probabilistic faults and jitter; 0 for a random one
}

// Server is the fake CRM. It is safe for concurrent use.
type Server struct {
	opts    Options
	handler http.Handler
	api     *http.ServeMux

	mu         sync.Mutex
	rng        *rand.Rand
	st         *store
	hsAcct     *hsSchema // HubSpot account setup
	pd         *pdSchema // Pipedrive account setup
	faults     []*faultRule
	log        []LoggedRequest
	apps       map[string]*appWindows // per app (HubSpot's token; one for Pipedrive): see limits.go
	search     []time.Time            // accepted searches in the search window
	dayKey     string                 // date (in the account time zone) the daily count is for
	dayCount   int                    // accepted requests that day
	tokenDay   string                 // date the token count is for (as dayKey)
	tokens     int                    // Pipedrive tokens spent that day
	strikes    int                    // consecutive 429s (Pipedrive edge block)
	lastStrike time.Time
	listener   net.Listener
	hs         *http.Server
}

// LoggedRequest is one entry of the request log.
type LoggedRequest struct {
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Query  string    `json:"query,omitempty"`
	Status int       `json:"status"` // 0 when no answer was sent (drop, hang)
	Fault  string    `json:"fault,omitempty"`
	Body   string    `json:"body,omitempty"`
}

// New returns a Server configured from opts.
func New(opts Options) *Server {
	if opts.Kind == "" {
		opts.Kind = KindHubSpot
	}
	pd := opts.Kind == KindPipedrive
	if opts.RateInterval <= 0 {
		opts.RateInterval = pick(pd, 2*time.Second, 10*time.Second)
	}
	if opts.SearchWindow <= 0 {
		opts.SearchWindow = pick(pd, 2*time.Second, time.Second)
	}
	if opts.AccountID == 0 {
		opts.AccountID = 1234567
	}
	if opts.ContactKeyProperty == "" {
		opts.ContactKeyProperty = "syncd_contact_key"
	}
	if opts.DealKeyProperty == "" {
		opts.DealKeyProperty = "syncd_lead_id"
	}
	if opts.LeadField == "" {
		opts.LeadField = DefaultPipedriveLeadField
	}
	if opts.MaxLog <= 0 {
		opts.MaxLog = 10000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	seed := opts.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	s := &Server{opts: opts, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), st: newStore(),
		hsAcct: newHSSchema(opts), pd: newPDSchema(opts)}
	s.api = http.NewServeMux()
	if pd {
		s.routesPipedrive(s.api)
		s.routesPipedriveErase(s.api)
	} else {
		s.routesHubSpot(s.api)
		s.routesHubSpotErase(s.api)
	}
	root := http.NewServeMux()
	s.routesAdmin(root)
	root.Handle("/", http.HandlerFunc(s.serveAPI))
	s.handler = root
	return s
}

func pick[T any](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}

// Kind is the CRM the server stands in for.
func (s *Server) Kind() string { return s.opts.Kind }

// ServeHTTP serves the fake's API and admin endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Start listens on 127.0.0.1 on a free port and serves in the background
// until Close; it returns the base URL (for Pipedrive, the URL ends in
// /api/v2).
func (s *Server) Start() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("crmfake: listen: %v", err))
	}
	s.serve(ln)
	return s.BaseURL()
}

// BaseURL is the URL clients use, once started.
func (s *Server) BaseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return ""
	}
	u := "http://" + s.listener.Addr().String()
	if s.opts.Kind == KindPipedrive {
		u += "/api/v2"
	}
	return u
}

func (s *Server) serve(ln net.Listener) {
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	s.listener, s.hs = ln, hs
	s.mu.Unlock()
	go func() { _ = hs.Serve(ln) }()
}

// Close stops a started server, cutting open connections (a hanging fault
// ends with them).
func (s *Server) Close() error {
	s.mu.Lock()
	hs := s.hs
	s.mu.Unlock()
	if hs == nil {
		return nil
	}
	return hs.Close()
}

// Run serves on listen until ctx ends.
func (s *Server) Run(ctx context.Context, listen string) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	return s.RunOn(ctx, ln)
}

// RunOn serves on ln, as Run does: for a caller that listens first, to
// name the port a ":0" address was given.
func (s *Server) RunOn(ctx context.Context, ln net.Listener) error {
	s.serve(ln)
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		_ = s.hs.Close()
	}
	return nil
}

// serveAPI runs the pipeline: auth, rate limit, faults, handler.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	rec := &LoggedRequest{Time: s.opts.Now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery}
	// Every HTTP answer's Date is its server's clock (RFC 9110 6.6.1), the
	// clock of add_time and createdAt: Options.Now, not net/http's own.
	w.Header().Set("Date", rec.Time.UTC().Format(http.TimeFormat))
	lw := &statusWriter{ResponseWriter: w}
	logged := false
	defer func() {
		if !logged {
			s.logRequest(rec, lw.status, false)
		}
	}()
	if !s.authorized(r) {
		s.writeAuthError(lw)
		return
	}
	if s.scopeDenied(lw, r) {
		return
	}
	if s.limited(lw, r) {
		return
	}
	if f := s.matchFault(r); f != nil {
		rec.Fault = f.Name
		switch f.Action {
		case ActDrop, ActApplyThenDrop, ActHang, ActApplyThenHang:
			// Logged with status 0 before the connection is dropped or left
			// hanging: a client that sees the drop may read the log at once.
			s.logRequest(rec, 0, true)
			logged = true
		}
		s.applyFault(lw, r, f)
		return
	}
	s.api.ServeHTTP(lw, r)
}

func (s *Server) authorized(r *http.Request) bool {
	if s.opts.Token == "" {
		return true
	}
	if s.opts.Kind == KindPipedrive {
		if r.Header.Get("x-api-token") == s.opts.Token {
			return true
		}
	}
	return r.Header.Get("Authorization") == "Bearer "+s.opts.Token
}

func (s *Server) logRequest(rec *LoggedRequest, status int, noAnswer bool) {
	if status == 0 && !noAnswer {
		status = http.StatusOK
	}
	rec.Status = status
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.log) >= s.opts.MaxLog {
		s.log = append(s.log[:0], s.log[len(s.log)/2:]...)
	}
	s.log = append(s.log, *rec)
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []LoggedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]LoggedRequest(nil), s.log...)
}

// CountRequests counts logged requests with the given method (any when "")
// whose path has the given prefix and, when status is not 0, that status.
func (s *Server) CountRequests(method, pathPrefix string, status int) int {
	n := 0
	for _, r := range s.Requests() {
		if (method == "" || r.Method == method) && strings.HasPrefix(r.Path, pathPrefix) && (status == 0 || r.Status == status) {
			n++
		}
	}
	return n
}

// Reset forgets all records, faults, the request log and the rate windows.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = newStore()
	s.faults, s.log, s.apps, s.search, s.dayCount, s.strikes = nil, nil, nil, nil, 0, 0
}

// statusWriter remembers the status written, for the log; it passes
// Hijack through for the drop faults.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
