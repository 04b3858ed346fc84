// Package webhook is syncd's front door: the HTTP receiver for the portals'
// webhooks. It authenticates each delivery (path token, optional Basic auth,
// optional IP allowlist), caps its size, decodes it (strict JSON, then a
// lenient pass, else quarantine), hands it to the store and answers the
// sender only once the store says the delivery is durable.
package webhook

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"path"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/dbdown"
	"github.com/syncd-dev/syncd/internal/ratelog"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Store keeps deliveries; Store returns once the delivery is durable.
type Store interface {
	Store(ctx context.Context, in syncd.Incoming) (syncd.Receipt, error)
}

// Observer is told about every request, for metrics. Outcome is a
// syncd.Outcome (or OutcomeUnrecognised) for deliveries stored as events;
// reason is a sender.Quarantine* code for one kept in the quarantine, and
// names why one was rejected.
type Observer interface {
	ObserveIntake(source, outcome string, d time.Duration)
	Quarantined(source, reason string, d time.Duration)
	Rejected(source, reason string)
}

// Options configure a Receiver.
type Options struct {
	Store          Store
	Sources        []Source
	TrustedProxies []netip.Prefix
	MaxBodyBytes   int64 // default 1 MiB
	// MaxDepth is the deepest nesting a body may have; deeper bodies are
	// quarantined before any parser sees them (default 256).
	MaxDepth int
	// AnswerWithin is the most a delivery waits for its commit before it
	// is answered 503 with Retry-After (default 10s): a lock held by
	// another process must not leave senders without an answer.
	AnswerWithin time.Duration
	// LogEvery is the interval repeated errors are logged once in, with a
	// count (default 10s).
	LogEvery time.Duration
	// SummaryEvery is how often Run logs the deliveries stored, per source
	// and outcome (default DefaultSummaryEvery); each delivery is logged
	// at debug.
	SummaryEvery time.Duration
	Log          zerolog.Logger
	Observer     Observer                    // optional
	OnAccepted   func()                      // optional: called after a new event is durable, or one is to be mapped anew
	Ready        func(context.Context) error // for /readyz: are commits succeeding?
	Now          func() time.Time
}

// Receiver is the webhook HTTP handler.
type Receiver struct {
	opts    Options
	sources atomic.Pointer[map[string]*Source]
	logs    *ratelog.Limiter // errors that repeat per request, logged once per interval
	tally   tally            // deliveries since the last summary line (Run)
}

// DefaultAnswerWithin is Options.AnswerWithin when unset.
const DefaultAnswerWithin = 10 * time.Second

// retryAfter is the Retry-After of a 503, in seconds.
const retryAfter = "30"

// New returns a Receiver.
func New(opts Options) *Receiver {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Observer == nil {
		opts.Observer = nopObserver{}
	}
	if opts.AnswerWithin <= 0 {
		opts.AnswerWithin = DefaultAnswerWithin
	}
	if opts.SummaryEvery <= 0 {
		opts.SummaryEvery = DefaultSummaryEvery
	}
	rc := &Receiver{opts: opts, logs: ratelog.New(opts.Log, opts.LogEvery, opts.Now)}
	rc.tally.since = opts.Now()
	rc.SetSources(opts.Sources)
	return rc
}

// SetSources replaces the configured sources atomically (on reload):
// requests already past authentication finish with the old ones. Their
// secrets are hashed here, once, not at every request.
func (rc *Receiver) SetSources(sources []Source) {
	m := make(map[string]*Source, len(sources))
	for i := range sources {
		s := sources[i]
		s.hashSecrets()
		m[s.Name] = &s
	}
	rc.sources.Store(&m)
}

// Handler returns the routes: POST /hooks/{source}/{token}, GET /healthz
// and GET /readyz.
func (rc *Receiver) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hooks/{source}/{token}", rc.hook)
	mux.HandleFunc("/hooks/{source}/{token}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", http.MethodPost)
		if r.Method == http.MethodGet { // an operator checking the URL in a browser
			rc.urlChecked(w, r)
			return
		}
		rc.reject(w, r, rc.label(r.PathValue("source")), http.StatusMethodNotAllowed, rejectMethod)
	})
	// Any other path under /hooks (a trailing slash, no token, a segment
	// more) is a sender configured with a wrong URL: answered 404 like an
	// unknown source, and logged so that the operator can tell.
	mux.HandleFunc("/hooks", rc.badPath)
	mux.HandleFunc("/hooks/", rc.badPath)
	mux.HandleFunc("/", rc.elsewhere)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", rc.ready)
	return rc.cleanHooks(mux)
}

func (rc *Receiver) ready(w http.ResponseWriter, r *http.Request) {
	if rc.opts.Ready != nil {
		if err := rc.opts.Ready(r.Context()); err != nil {
			if !dbdown.IsTold(err) { // a database outage's own log says it
				rc.logs.Error("not ready", err, "not ready", nil)
			}
			w.Header().Set("Retry-After", retryAfter)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// hook receives one delivery.
func (rc *Receiver) hook(w http.ResponseWriter, r *http.Request) {
	start := rc.opts.Now()
	name := r.PathValue("source")
	src := (*rc.sources.Load())[name]
	if src == nil {
		rc.reject(w, r, unknownSource, http.StatusNotFound, rejectUnknownSource)
		return
	}
	ip := clientIP(r, rc.opts.TrustedProxies)
	token := src.tokenAt(r.PathValue("token"))
	switch {
	case !src.ipOK(ip):
		rc.reject(w, r, name, http.StatusForbidden, rejectIPNotAllowed)
		return
	case token == 0:
		rc.reject(w, r, name, http.StatusUnauthorized, rejectBadToken)
		return
	case !src.basicOK(r):
		w.Header().Set("WWW-Authenticate", `Basic realm="syncd", charset="UTF-8"`)
		rc.reject(w, r, name, http.StatusUnauthorized, rejectBadBasicAuth)
		return
	}
	body, status, reason := rc.readBody(w, r)
	if status != 0 {
		rc.reject(w, r, name, status, reason)
		return
	}
	rc.store(w, r, src, token, body, ip, start)
}

// readBody reads the body under the size cap.
func (rc *Receiver) readBody(w http.ResponseWriter, r *http.Request) ([]byte, int, string) {
	if r.ContentLength > rc.opts.MaxBodyBytes {
		return nil, http.StatusRequestEntityTooLarge, rejectTooLarge
	}
	body, err := readAll(http.MaxBytesReader(w, r.Body, rc.opts.MaxBodyBytes), r.ContentLength)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, http.StatusRequestEntityTooLarge, rejectTooLarge
	case err != nil:
		return nil, http.StatusBadRequest, rejectReadError
	case blank(body): // no lead: nothing to keep for a person
		return nil, http.StatusBadRequest, rejectEmptyBody
	}
	return body, 0, ""
}

// blank says whether body holds nothing but JSON's white space, after a
// UTF-8 byte-order mark if any, or is a UTF-16 byte-order mark alone: an
// empty file saved by an editor that writes the mark, and posted.
func blank(body []byte) bool {
	if len(body) == 2 && (body[0] == 0xFF && body[1] == 0xFE || body[0] == 0xFE && body[1] == 0xFF) {
		return true
	}
	return len(bytes.TrimLeft(bytes.TrimPrefix(body, utf8BOM), " \t\r\n")) == 0
}

// utf8BOM is UTF-8's byte-order mark.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readAll reads a body of the declared length (a sender's Content-Length,
// to which net/http limits the body) into one buffer of that size, where
// io.ReadAll would grow its buffer from 512 bytes. A body cut short is an
// error, as with io.ReadAll.
func readAll(r io.Reader, declared int64) ([]byte, error) {
	if declared <= 0 {
		return io.ReadAll(r)
	}
	b := make([]byte, declared)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	return b, nil
}

// store decodes and stores one authenticated body and answers, within
// AnswerWithin: a commit that takes longer (a lock held by another process)
// is answered 503, and the sender's retry finds the event if it did commit.
func (rc *Receiver) store(w http.ResponseWriter, r *http.Request, src *Source, token int, body []byte, ip netip.Addr, start time.Time) {
	d := sender.Decode(src.Kind, body, rc.opts.MaxDepth)
	readDeclaredCharset(&d, r.Header, src.Kind, body, rc.opts.MaxDepth)
	markCompressed(&d, r.Header, body)
	markForm(&d, r.Header, body)
	in := syncd.Incoming{
		Source: src.Name, Kind: src.Kind, Type: d.Type, Key: d.Key, Body: body,
		Payload: d.Payload, Parse: d.Parse, Quarantine: d.Reason != "", Reason: d.Reason,
		Unrecognised: d.Unrecognised, RemoteAddr: ip.String(), ReceivedAt: start,
	}
	ctx, cancel := context.WithTimeout(r.Context(), rc.opts.AnswerWithin)
	defer cancel()
	rec, err := rc.opts.Store.Store(ctx, in)
	if err != nil {
		rc.unavailable(w, r, src.Name, err)
		return
	}
	outcome := string(rec.Outcome)
	switch {
	case rec.Outcome == syncd.Accepted && d.Unrecognised != "":
		outcome = OutcomeUnrecognised
	case rec.Changed:
		outcome = OutcomeChanged
	}
	rc.logDelivery(src.Name, token, d, rec, len(body))
	writeReceipt(w, rec)
	if rec.Outcome == syncd.Quarantined {
		rc.opts.Observer.Quarantined(src.Name, d.Code, rc.opts.Now().Sub(start))
	} else {
		rc.opts.Observer.ObserveIntake(src.Name, outcome, rc.opts.Now().Sub(start))
	}
	if (rec.Outcome == syncd.Accepted && d.Unrecognised == "" || rec.Replaced) && rc.opts.OnAccepted != nil {
		rc.opts.OnAccepted() // a replaced event waits to be mapped anew, as a new one does
	}
}

// OutcomeUnrecognised is the intake outcome (for the Observer) of a new
// event whose body does not have its source's shape.
const OutcomeUnrecognised = "unrecognised"

// OutcomeChanged is the intake outcome (for the Observer) of a duplicate
// by its sender's id whose body says something else than the stored
// event's (syncd.Receipt.Changed); the sender is answered as for any
// duplicate.
const OutcomeChanged = "changed"

// logDelivery logs one stored delivery at debug and counts it for the
// summary line, by outcome and by the position of the token it came with;
// a quarantined or unrecognised body is an error, logged at
// once. The body is never logged (it holds personal data), and the event
// type only when it looks like one.
func (rc *Receiver) logDelivery(source string, token int, d sender.Decoded, rec syncd.Receipt, size int) {
	outcome := string(rec.Outcome)
	if d.Unrecognised != "" && rec.Outcome == syncd.Accepted {
		outcome = OutcomeUnrecognised
	}
	rc.tally.add(source, outcome, token)
	ev, id, msg := rc.opts.Log.Debug(), "id", "delivery"
	switch {
	case rec.Outcome == syncd.Quarantined:
		ev = rc.opts.Log.Error().Str("reason", d.Reason).Str("sha256", d.Key[7:])
		id, msg = "quarantine_id", msgQuarantined
	case d.Unrecognised != "" && rec.Outcome == syncd.Accepted:
		ev = rc.opts.Log.Error().Str("unrecognised", d.Unrecognised)
		id, msg = "event_id", msgUnrecognised
	case rec.Replaced:
		ev = rc.opts.Log.Info().Int64("quarantine_id", rec.Kept)
		id, msg = "event_id", msgReplaced
	case rec.Changed:
		ev = rc.opts.Log.Warn()
		if rec.Kept != 0 {
			ev = ev.Int64("quarantine_id", rec.Kept)
		}
		id, msg = "event_id", msgChanged
	}
	ev.Str("source", source).Str("type", sender.LogType(d.Type)).Str("outcome", string(rec.Outcome)).
		Int64(id, rec.ID).Int("bytes", size).Int("token", token).Msg(msg)
}

// The messages of the error lines of a body a person must look at.
const (
	msgQuarantined = "delivery quarantined: a retry cannot fix it; read it with " +
		"`syncd events show -quarantined QUARANTINE_ID`, correct a copy and `syncd events repair QUARANTINE_ID FILE`"
	msgUnrecognised = "delivery unrecognised: stored, never mapped; see why in unrecognised " +
		"(a sender posting to another source's URL?) and `syncd events show EVENT_ID`"
	msgChanged = "delivery changed: the sender gave a stored event's delivery id (eaf_id for Estate Agent Feeds) again with another body; " +
		"answered as a duplicate: the event keeps its first body, as mapped (`syncd events show EVENT_ID`), and the later body " +
		"is kept in the quarantine (`syncd events show -quarantined QUARANTINE_ID`); if the sender corrected something, " +
		"correct it in the CRM by hand, then mark the later body done with `syncd events repair QUARANTINE_ID` (no copy needed)"
	msgReplaced = "delivery changed: the sender gave a stored event's delivery id again with another body; the event, " +
		"unmappable or ignored (nothing of it reached the CRM), took the later body and is mapped anew; its first body is kept " +
		"in the quarantine (`syncd events show -quarantined QUARANTINE_ID`)"
)

// unavailable answers 503 with Retry-After for a delivery the store could
// not commit (in time). Under a full disk every request fails the same way:
// the error is logged once per interval, with a count. A sender that hung
// up is no store failure (senderGone).
func (rc *Receiver) unavailable(w http.ResponseWriter, r *http.Request, source string, err error) {
	reason := rejectStoreUnavailable
	switch {
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil: // a store error is still one
		rc.senderGone(source, err)
	case errors.Is(err, context.DeadlineExceeded):
		reason = rejectDeadline
		fallthrough
	default:
		if !dbdown.IsTold(err) { // a database outage's own log says deliveries are answered 503
			rc.logs.Error(reason, err, "delivery not stored: answered 503", func(e *zerolog.Event) {
				e.Str("reason", reason).Str("source", source)
			})
		}
		rc.opts.Observer.Rejected(source, reason)
	}
	w.Header().Set("Retry-After", retryAfter)
	writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "rejected", "error": http.StatusText(http.StatusServiceUnavailable)})
}

// senderGone notes a delivery whose sender hung up before its commit was
// done (its own timeout shorter than a slow commit): nobody is left to
// answer, and the store did not fail. The delivery is stored if it was
// queued and its commit succeeds, and the sender's retry is then a
// duplicate.
func (rc *Receiver) senderGone(source string, err error) {
	rc.logs.Log(zerolog.WarnLevel, rejectSenderGone, err, "sender hung up before its delivery was answered: "+
		"it is stored if its commit succeeds, and its retry is then a duplicate (commits slower than the sender waits?)", func(e *zerolog.Event) {
		e.Str("reason", rejectSenderGone).Str("source", source)
	})
	rc.opts.Observer.Rejected(source, rejectSenderGone)
}

// reject answers a delivery that is not stored, without detail.
func (rc *Receiver) reject(w http.ResponseWriter, r *http.Request, source string, status int, reason string) {
	rc.refuse(w, r, source, redact(source), status, reason)
}

// refuse is reject with the path to log, which holds no token. The log
// line names the peer (remote) and the client the allowlist judged: behind
// a proxy, the address to add to allow_ips, unless it is a trusted proxy's
// own (proxyJudgedFix).
func (rc *Receiver) refuse(w http.ResponseWriter, r *http.Request, source, path string, status int, reason string) {
	rc.refuseOutside(w, r, source, path, status, reason, "")
}

// refuseOutside is refuse, for a delivery to a path outside /hooks when
// meant is not "": the source its path names, or "?" when it names none.
func (rc *Receiver) refuseOutside(w http.ResponseWriter, r *http.Request, source, path string, status int, reason, meant string) {
	rc.told(r, source, path, status, reason, meant)
	writeJSON(w, status, map[string]string{"status": "rejected", "error": http.StatusText(status)})
}

// told logs and counts a refusal as refuseOutside does, for a caller that
// answers it itself.
func (rc *Receiver) told(r *http.Request, source, path string, status int, reason, meant string) {
	client := clientIP(r, rc.opts.TrustedProxies)
	proxyJudged := reason == rejectIPNotAllowed && inAny(client, rc.opts.TrustedProxies)
	key := source + " " + reason
	switch {
	case proxyJudged: // its own line in an interval: not hidden by a sender's refusal
		key += " proxy"
	case meant != "": // nor by a client's wrong source under /hooks
		key += " outside"
	}
	rc.logs.Log(zerolog.WarnLevel, key, nil, "delivery rejected", func(e *zerolog.Event) {
		e.Str("method", methodLogged(r.Method)).Str("path", path).Int("status", status).
			Str("reason", reason).Str("remote", r.RemoteAddr).Stringer("client", client)
		switch {
		case reason == rejectTooLarge:
			e.Int64("max_body_bytes", rc.opts.MaxBodyBytes).Str("fix", tooLargeFix)
		case proxyJudged:
			e.Str("fix", proxyJudgedFix)
		case meant != "":
			e.Str("fix", outsideFix)
			if meant != "?" {
				e.Str("did you mean", meant)
			}
			return
		default:
			if fix := rc.refusalFix(source, reason); fix != "" {
				e.Str("fix", fix)
			}
		}
		if source != unknownSource {
			return
		}
		if meant := rc.meant(r); meant != "" {
			e.Str("did you mean", meant)
		}
	})
	rc.opts.Observer.Rejected(source, reason)
}

// urlChecked answers a GET of a hook URL, 405 as any method but POST,
// saying in "check" whether a sender's POST there would be taken: an
// operator who opens the URL given to a sender in a browser saw only
// "Method Not Allowed", whatever the source and token. It tells no more
// than a POST does (401 for a token that is none, 404 for no such source).
func (rc *Receiver) urlChecked(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("source")
	src := (*rc.sources.Load())[name]
	var check string
	switch { // in the order hook judges a POST
	case src == nil:
		check = "no source of that name in syncd's configuration: a sender's POST here is refused (404); " +
			"the URL is /hooks/SOURCE/TOKEN, SOURCE a name under sources:"
	case !src.ipOK(clientIP(r, rc.opts.TrustedProxies)):
		check = "source " + name + " takes deliveries only from its allow_ips, which this address is not in: " +
			"a POST from here is refused (403)"
	case src.tokenAt(r.PathValue("token")) == 0:
		check = "source " + name + " is configured, but that token is none of its tokens: a sender's POST here is refused (401)"
	case !src.basicOK(r):
		w.Header().Set("WWW-Authenticate", `Basic realm="syncd", charset="UTF-8"`)
		check = "the token is right; source " + name + " also wants HTTP Basic authentication (basic_auth): " +
			"give its user and password"
	default:
		check = "the URL is right: source " + name + " takes its sender's deliveries here, by POST (a browser sends GET, " +
			"which syncd refuses)"
	}
	rc.told(r, rc.label(name), redact(rc.label(name)), http.StatusMethodNotAllowed, rejectMethod, "")
	writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"status": "rejected",
		"error": http.StatusText(http.StatusMethodNotAllowed), "check": check})
}

// methodLogged is a request's method as logged: one of HTTP's, or
// "(other)" for the client's own (of up to the 16 KiB of headers).
func methodLogged(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return m
	}
	return "(other)"
}

// tooLargeFix says what a delivery over MaxBodyBytes means: the sender
// retries it as it does any refusal, and then gives up.
const tooLargeFix = "not stored: the sender retries it and then gives up, and its lead is lost; " +
	"if the sender's deliveries are this big, raise http.max_body_bytes (and a proxy's own limit), then restart syncd (a reload does not take it)"

// proxyJudgedFix says what an allowlist refusal of a trusted proxy's own
// address means: the proxy forwarded no client syncd can read, and the
// proxy, allowed, would admit every client that reaches it.
const proxyJudgedFix = "client is a proxy in http.trusted_proxies: it sent no X-Forwarded-For naming the sender " +
	"(none, empty or unreadable; X-Real-IP and Forwarded are not read), so the proxy itself was judged; " +
	"make it set X-Forwarded-For (nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; HAProxy: option forwardfor) " +
	"rather than add its address to allow_ips, which would admit every client that reaches it"

// badPath answers a request under /hooks that names no source and token.
func (rc *Receiver) badPath(w http.ResponseWriter, r *http.Request) {
	label, shape := rc.shape(r.URL.Path)
	rc.refuse(w, r, label, shape, http.StatusNotFound, rejectBadPath)
}

// elsewhere answers a request for a path outside /hooks. A POST that
// looks meant for a hook (a segment hooks in another case, hook or webhooks, or a
// configured source's name: /HOOKS/eaf/TOKEN, a proxy's prefix left on
// /prefix/hooks/eaf/TOKEN) is a sender given a wrong URL: answered as a
// bad path under /hooks is, with a warning and a count (it was net/http's
// plain 404, with neither, and the sender's leads were lost unseen). Any
// other (a scanner's) is the plain 404 it was, and POST /healthz the 405.
func (rc *Receiver) elsewhere(w http.ResponseWriter, r *http.Request) {
	if p := r.URL.Path; p == "/healthz" || p == "/readyz" {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	shape, meant := rc.outsideShape(r.URL.Path)
	if shape == "" || r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	rc.refuseOutside(w, r, unknownSource, shape, http.StatusNotFound, rejectBadPath, cmp.Or(meant, "?"))
}

// outsideFix says what a delivery to a path outside /hooks means.
const outsideFix = "syncd receives deliveries at /hooks/SOURCE/TOKEN only, in lower case, at the root of the host: " +
	"give the sender that URL (behind a proxy, the proxy's own URL, and make the proxy pass the path from /hooks/ on, " +
	"its prefix removed); until then the sender's deliveries are refused, retried and lost"

// outsideShape is a path outside /hooks as logged, when it looks meant for
// a hook, and the configured source it names ("" when none): a segment
// hooks, hook, webhook or webhooks (in any case) is shown as written, a
// source's name as configured, every other segment redacted. "" when no
// segment is either.
func (rc *Receiver) outsideShape(p string) (shape, meant string) {
	sources := *rc.sources.Load()
	hooky := false
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	shown := make([]string, 0, min(len(segs), shapeSegments))
	for _, seg := range segs {
		as := "[redacted]"
		switch {
		case seg == "":
			as = ""
		case hooksLike(seg):
			hooky = true
			as = seg // one of four words: no client text beyond their letters' case
		default:
			for n := range sources {
				if meant == "" && strings.EqualFold(n, seg) {
					hooky, meant, as = true, n, n
				}
			}
		}
		if len(shown) < shapeSegments {
			shown = append(shown, as)
		}
	}
	if !hooky {
		return "", ""
	}
	return joinShape("", shown, len(segs)), meant
}

// hooksLike says whether a path segment is hooks, or a word a sender's URL
// may have been given instead, in any case of its ASCII letters (of the
// same length: not U+212A KELVIN SIGN, which Unicode folds to k).
func hooksLike(seg string) bool {
	for _, w := range []string{"hooks", "hook", "webhooks", "webhook"} {
		if len(seg) == len(w) && strings.EqualFold(seg, w) {
			return true
		}
	}
	return false
}

// shape is a path under /hooks as logged: the source's label, and every
// segment after it redacted.
func (rc *Receiver) shape(p string) (label, shape string) {
	segs := strings.Split(strings.TrimPrefix(p, "/hooks"), "/")[1:]
	label = unknownSource
	shown := make([]string, 0, min(len(segs), shapeSegments))
	for i, seg := range segs[:min(len(segs), shapeSegments)] {
		switch {
		case i == 0 && seg != "":
			label = rc.label(seg)
			shown = append(shown, label)
		case seg == "":
			shown = append(shown, "")
		default:
			shown = append(shown, "[redacted]")
		}
	}
	return label, joinShape("/hooks", shown, len(segs))
}

// shapeSegments is how many segments of a path a warning shows; the others
// are counted. A path of thousands of short segments (within the 16 KiB of
// headers) made a warning of 80 KB, again every interval.
const shapeSegments = 8

// joinShape is prefix and the segments shown, each after a slash, and a
// count of the others, of total.
func joinShape(prefix string, shown []string, total int) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, s := range shown {
		b.WriteByte('/')
		b.WriteString(s)
	}
	if more := total - len(shown); more > 0 {
		b.WriteString("/...(" + strconv.Itoa(more) + " segments more)")
	}
	return b.String()
}

// cleanHooks answers a request for /hooks whose path has an empty or dot
// segment (//hooks/eaf/TOKEN, a base URL's slash doubled) with a 404 and a
// warning. http.ServeMux would redirect it with a 307, which the senders do
// not follow (Estate Agent Feeds counts only 200, 301 and 302 as success),
// and the deliveries were lost without a trace.
func (rc *Receiver) cleanHooks(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; strings.HasPrefix(p, "/") && !strings.Contains(p, "//") && !strings.Contains(p, "/.") {
			h.ServeHTTP(w, r) // already clean: path.Clean would change nothing
			return
		}
		clean := path.Clean("/" + r.URL.Path)
		if strings.HasSuffix(r.URL.Path, "/") && clean != "/" {
			clean += "/"
		}
		if clean == r.URL.Path || (clean != "/hooks" && !strings.HasPrefix(clean, "/hooks/")) {
			if shape, meant := rc.outsideShape(clean); shape != "" && clean != r.URL.Path && r.Method == http.MethodPost {
				rc.refuseOutside(w, r, unknownSource, shape, http.StatusNotFound, rejectUncleanPath, cmp.Or(meant, "?"))
				return // not redirected either
			}
			h.ServeHTTP(w, r)
			return
		}
		label, shape := rc.shape(clean)
		rc.refuse(w, r, label, shape, http.StatusNotFound, rejectUncleanPath)
	})
}

// unknownSource labels requests for sources that are not configured: the
// name in the path is the client's, and must not become a metric label.
const unknownSource = "unknown"

func (rc *Receiver) label(name string) string {
	if (*rc.sources.Load())[name] == nil {
		return unknownSource
	}
	return name
}

// meant is the configured source a request's path names in another case
// (/hooks/EAF/...), or "". It is the configured name, never the client's
// text, that is logged.
func (rc *Receiver) meant(r *http.Request) string {
	seg, _, _ := strings.Cut(strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/hooks/"), "/")
	for name := range *rc.sources.Load() {
		if strings.EqualFold(name, seg) {
			return name
		}
	}
	return ""
}

// redact is the request path as logged: the token never appears.
func redact(source string) string { return "/hooks/" + source + "/[redacted]" }

// writeReceipt answers a stored delivery 200 with its id and outcome:
// {"event_id":"ID","status":"OUTCOME"}, or quarantine_id for a body kept in
// the quarantine. These are the bytes writeJSON writes for a map of the two
// (names sorted, a newline after), without the map, its reflection and its
// sort on every delivery. An outcome that is not a plain lowercase word
// (none is) would need escaping, and goes through writeJSON.
func writeReceipt(w http.ResponseWriter, rec syncd.Receipt) {
	name := "event_id"
	if rec.Outcome == syncd.Quarantined {
		name = "quarantine_id"
	}
	if !plainWord(string(rec.Outcome)) {
		writeJSON(w, http.StatusOK, map[string]string{"status": string(rec.Outcome), name: strconv.FormatInt(rec.ID, 10)})
		return
	}
	b := make([]byte, 0, 64)
	b = append(append(append(b, `{"`...), name...), `":"`...)
	b = strconv.AppendInt(b, rec.ID, 10)
	b = append(append(append(b, `","status":"`...), rec.Outcome...), "\"}\n"...)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// plainWord says whether s is lowercase ASCII letters and underscores,
// which JSON writes as they are.
func plainWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return s != ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

type nopObserver struct{}

func (nopObserver) ObserveIntake(string, string, time.Duration) {}
func (nopObserver) Quarantined(string, string, time.Duration)   {}
func (nopObserver) Rejected(string, string)                     {}
