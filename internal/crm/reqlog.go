package crm

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/rs/zerolog"
)

// Debug lines of the client's requests. go-retryablehttp's own logged each
// URL whole ("performing request", "request failed", "retrying request"),
// and a URL may carry the token: HubSpot's read of an OAuth token's scopes
// is GET /oauth/v1/access-tokens/{token}. Its logger is left unset; these
// hooks say each attempt and answer, with every credential as [redacted].

// logRequest returns the hook that logs, at debug, each attempt of a
// request: its operation, method, URL (loggedURL) and attempt.
func logRequest(log zerolog.Logger) retryablehttp.RequestLogHook {
	return func(_ retryablehttp.Logger, req *http.Request, attempt int) {
		if ev := log.Debug(); ev.Enabled() { // the URL is worked out only for a line written
			ev.Str("op", opOf(req.Context())).Str("method", req.Method).Str("url", loggedURL(req)).
				Int("attempt", attempt+1).Msg("crm request")
		}
	}
}

// logAnswer returns the hook that logs, at debug, the status of each answer.
func logAnswer(log zerolog.Logger) retryablehttp.ResponseLogHook {
	return func(_ retryablehttp.Logger, resp *http.Response) {
		ev := log.Debug()
		if !ev.Enabled() {
			return
		}
		ev = ev.Int("status", resp.StatusCode)
		if req := resp.Request; req != nil {
			ev = ev.Str("op", opOf(req.Context())).Str("method", req.Method).Str("url", loggedURL(req))
		}
		ev.Msg("crm answer")
	}
}

// credentialParams are query parameters that hold a CRM credential by
// their name (Pipedrive's api_token, HubSpot's retired hapikey).
var credentialParams = []string{"api_token", "hapikey", "access_token"}

// loggedURL is req's URL as a log line says it: without its user
// information, and with each path segment or query value that is a
// credential the request carries (credentials), or a parameter in
// credentialParams, as [redacted]. A search term stays: debug lines may
// hold personal data, never a secret.
func loggedURL(req *http.Request) string {
	u := req.URL
	secret := credentials(req.Header)
	segs := strings.Split(u.EscapedPath(), "/")
	for i, s := range segs {
		if p, err := url.PathUnescape(s); err == nil && p != "" && slices.Contains(secret, p) {
			segs[i] = "[redacted]"
		}
	}
	out := u.Scheme + "://" + u.Host + strings.Join(segs, "/")
	if u.RawQuery == "" {
		return out
	}
	parts := strings.Split(u.RawQuery, "&")
	for i, kv := range parts {
		k, v, _ := strings.Cut(kv, "=")
		name, _ := url.QueryUnescape(k)
		val, _ := url.QueryUnescape(v)
		if slices.Contains(credentialParams, strings.ToLower(name)) || val != "" && slices.Contains(secret, val) {
			parts[i] = k + "=[redacted]"
		}
	}
	return out + "?" + strings.Join(parts, "&")
}

// credentials are the credentials h carries: the token of its
// Authorization header, and its X-Api-Token (Pipedrive's).
func credentials(h http.Header) []string {
	var out []string
	if a := h.Get("Authorization"); a != "" {
		_, tok, _ := strings.Cut(a, " ")
		out = append(out, strings.TrimSpace(tok))
	}
	if t := h.Get("X-Api-Token"); t != "" {
		out = append(out, t)
	}
	return out
}
