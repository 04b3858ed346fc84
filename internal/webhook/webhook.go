// Package webhook is syncd's front door: the HTTP receiver for the portals'
// webhooks. It authenticates each delivery (path token, optional Basic auth,
// optional IP allowlist), caps its size, decodes it (strict JSON, then a
// lenient pass, else quarantine), hands it to the store and answers the
// sender only once the store says the delivery is durable.
package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Store keeps deliveries; Store returns once the delivery is durable.
type Store interface {
	Store(ctx context.Context, in syncd.Incoming) (syncd.Receipt, error)
}

// Observer is told about every request, for metrics. Outcome is a
// syncd.Outcome for stored deliveries; reason names why one was rejected.
type Observer interface {
	ObserveIntake(source, outcome string, d time.Duration)
	Rejected(source, reason string)
}

// Options configure a Receiver.
type Options struct {
	Store          Store
	Sources        []Source
	TrustedProxies []netip.Prefix
	MaxBodyBytes   int64 // default 1 MiB
	Log            zerolog.Logger
	Observer       Observer                    // optional
	OnAccepted     func()                      // optional: called after a new event is durable
	Ready          func(context.Context) error // for /readyz: is the store writable?
	Now            func() time.Time
}

// Receiver is the webhook HTTP handler.
type Receiver struct {
	opts    Options
	sources atomic.Pointer[map[string]*Source]
}

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
	rc := &Receiver{opts: opts}
	rc.SetSources(opts.Sources)
	return rc
}

// SetSources replaces the configured sources atomically (on reload):
// requests already past authentication finish with the old ones.
func (rc *Receiver) SetSources(sources []Source) {
	m := make(map[string]*Source, len(sources))
	for i := range sources {
		s := sources[i]
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
		rc.reject(w, r, rc.label(r.PathValue("source")), http.StatusMethodNotAllowed, "method")
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", rc.ready)
	return mux
}

func (rc *Receiver) ready(w http.ResponseWriter, r *http.Request) {
	if rc.opts.Ready != nil {
		if err := rc.opts.Ready(r.Context()); err != nil {
			rc.opts.Log.Error().Err(err).Msg("not ready")
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
		rc.reject(w, r, unknownSource, http.StatusNotFound, "unknown_source")
		return
	}
	ip := clientIP(r, rc.opts.TrustedProxies)
	switch {
	case !src.ipOK(ip):
		rc.reject(w, r, name, http.StatusForbidden, "ip_not_allowed")
		return
	case !src.tokenOK(r.PathValue("token")):
		rc.reject(w, r, name, http.StatusUnauthorized, "bad_token")
		return
	case !src.basicOK(r):
		w.Header().Set("WWW-Authenticate", `Basic realm="syncd", charset="UTF-8"`)
		rc.reject(w, r, name, http.StatusUnauthorized, "bad_basic_auth")
		return
	}
	body, status, reason := rc.readBody(w, r)
	if status != 0 {
		rc.reject(w, r, name, status, reason)
		return
	}
	rc.store(w, r, src, body, ip, start)
}

// readBody reads the body under the size cap.
func (rc *Receiver) readBody(w http.ResponseWriter, r *http.Request) ([]byte, int, string) {
	if r.ContentLength > rc.opts.MaxBodyBytes {
		return nil, http.StatusRequestEntityTooLarge, "too_large"
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, rc.opts.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, http.StatusRequestEntityTooLarge, "too_large"
	case err != nil:
		return nil, http.StatusBadRequest, "read_error"
	case len(body) == 0:
		return nil, http.StatusBadRequest, "empty_body"
	}
	return body, 0, ""
}

// store decodes and stores one authenticated body and answers.
func (rc *Receiver) store(w http.ResponseWriter, r *http.Request, src *Source, body []byte, ip netip.Addr, start time.Time) {
	d := Decode(src.Kind, body)
	in := syncd.Incoming{
		Source: src.Name, Kind: src.Kind, Type: d.Type, Key: d.Key, Body: body,
		Payload: d.Payload, Parse: d.Parse, Quarantine: d.Reason != "", Reason: d.Reason,
		RemoteAddr: ip.String(), ReceivedAt: start,
	}
	rec, err := rc.opts.Store.Store(r.Context(), in)
	if err != nil {
		rc.opts.Log.Error().Err(err).Str("source", src.Name).Msg("store delivery")
		w.Header().Set("Retry-After", "30")
		rc.reject(w, r, src.Name, http.StatusServiceUnavailable, "store_unavailable")
		return
	}
	id := strconv.FormatInt(rec.ID, 10)
	ev := rc.opts.Log.Info()
	resp := map[string]string{"status": string(rec.Outcome), "event_id": id}
	if rec.Outcome == syncd.Quarantined {
		// The body is never logged: it holds personal data.
		ev = rc.opts.Log.Error().Str("reason", d.Reason).Str("sha256", d.Key[7:])
		resp = map[string]string{"status": string(rec.Outcome), "quarantine_id": id}
	}
	ev.Str("source", src.Name).Str("type", d.Type).Str("outcome", string(rec.Outcome)).
		Int64("id", rec.ID).Int("bytes", len(body)).Msg("delivery")
	writeJSON(w, http.StatusOK, resp)
	rc.opts.Observer.ObserveIntake(src.Name, string(rec.Outcome), rc.opts.Now().Sub(start))
	if rec.Outcome == syncd.Accepted && rc.opts.OnAccepted != nil {
		rc.opts.OnAccepted()
	}
}

// reject answers a delivery that is not stored, without detail.
func (rc *Receiver) reject(w http.ResponseWriter, r *http.Request, source string, status int, reason string) {
	rc.opts.Log.Warn().Str("method", r.Method).Str("path", redact(source)).Int("status", status).
		Str("reason", reason).Str("remote", r.RemoteAddr).Msg("delivery rejected")
	rc.opts.Observer.Rejected(source, reason)
	writeJSON(w, status, map[string]string{"status": "rejected", "error": http.StatusText(status)})
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

// redact is the request path as logged: the token never appears.
func redact(source string) string { return "/hooks/" + source + "/[redacted]" }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

type nopObserver struct{}

func (nopObserver) ObserveIntake(string, string, time.Duration) {}
func (nopObserver) Rejected(string, string)                     {}
