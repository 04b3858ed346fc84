package crm

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/logtest"
)

// TestDebugLogShowsNoCredentialInAURL: HubSpot's read of an OAuth
// token's scopes (GET /oauth/v1/access-tokens/{token}, which crm check
// makes whenever the token is not a private app's) carries the token in
// its path, and go-retryablehttp's debug lines ("performing request",
// "request failed", "retrying request") logged each URL whole: the CRM
// token in the daemon's log at log.level debug, where a secret never is.
// The client's own debug line says each attempt with every credential
// the request carries (its bearer token, Pipedrive's x-api-token, an
// api_token or hapikey parameter) as [redacted]; a search term, personal
// data that debug lines may hold, stays.
func TestDebugLogShowsNoCredentialInAURL(t *testing.T) {
	const token = "pat-eu1-5e7b9d1c-0d1e2f3a4b5c"
	var answered atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "drop") {
			c, _, _ := http.NewResponseController(w).Hijack()
			_ = c.Close()
			return
		}
		if r.URL.Query().Get("n") == "" && !answered.Swap(true) { // one 503 first: a retry's lines too
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	var logs logtest.Buffer
	c := NewHTTPClient(Options{Name: "hubspot", RetryMax: 1, RetryWaitMin: 1, RetryWaitMax: 1,
		Logger: zerolog.New(&logs).Level(zerolog.DebugLevel)})
	bearer := http.Header{"Authorization": {"Bearer " + token}}
	for _, call := range []Call{
		{Op: "token_info", Method: http.MethodGet, Header: bearer, URL: srv.URL + "/oauth/v1/access-tokens/" + url.PathEscape(token)},
		{Op: "persons_search", Method: http.MethodGet, Header: http.Header{"X-Api-Token": {token}},
			URL: srv.URL + "/api/v2/persons/search?n=1&term=jane%40example.dk&api_token=" + url.QueryEscape(token)},
		{Op: "legacy", Method: http.MethodGet, URL: srv.URL + "/contacts/v1/lists?n=1&hapikey=other-key-0123"},
		{Op: "token_info", Method: http.MethodGet, Header: bearer, URL: srv.URL + "/drop/" + token},
	} {
		if resp, err := c.Do(context.Background(), call); err == nil && resp.Status != http.StatusOK {
			t.Fatalf("%s: %d", call.URL, resp.Status)
		}
	}
	out := logs.String()
	for _, secret := range []string{token, url.PathEscape(token), "other-key-0123"} {
		if strings.Contains(out, secret) {
			t.Errorf("a credential (%s) in the debug log", secret)
		}
	}
	for _, want := range []string{"/oauth/v1/access-tokens/[redacted]", "term=jane%40example.dk", `"op":"persons_search"`, `"attempt":1`} {
		if !strings.Contains(out, want) {
			t.Errorf("the debug log does not say %q", want)
		}
	}
	if t.Failed() {
		t.Logf("the debug log:\n%s", out)
	}
}
