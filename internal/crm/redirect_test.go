package crm

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRedirectElsewhereCarriesNoToken: net/http follows a redirect with
// the request's headers, keeping back Authorization from another host but
// not Pipedrive's x-api-token, and Authorization too on the same host
// reached by http://: a CRM answer (or whoever answers at base_url)
// redirecting elsewhere received the token, and the leads of a 307. A
// redirect to another scheme, host or port is now not followed: the call
// fails as a network error naming where it was sent, which retries it,
// and nothing reaches the other place; one within base_url's origin is
// followed as before.
func TestRedirectElsewhereCarriesNoToken(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		if r.Header.Get("x-api-token") != "" || r.Header.Get("Authorization") != "" {
			t.Errorf("the token reached another host: %v", r.Header)
		}
		w.Write([]byte(`{}`))
	}))
	defer other.Close()
	crmSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved":
			http.Redirect(w, r, other.URL+"/persons", http.StatusTemporaryRedirect)
		case "/here":
			http.Redirect(w, r, "/persons", http.StatusFound)
		default:
			w.Write([]byte(`{"ok":true}`))
		}
	}))
	defer crmSrv.Close()
	c := NewHTTPClient(Options{RetryMax: -1, RateLimit: -1})
	header := http.Header{"X-Api-Token": {"pd-secret-token"}, "Authorization": {"Bearer hs-secret"}}
	_, err := c.Do(context.Background(), Call{Op: "persons_add", Method: http.MethodPost, URL: crmSrv.URL + "/moved",
		Header: header, Body: map[string]string{"email": "jane@example.com"}})
	if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(other.URL, "http://")) {
		t.Errorf("redirect to another host: error %v, want one naming it", err)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("%d request(s) followed the redirect to another host", n)
	}
	resp, err := c.Do(context.Background(), Call{Op: "persons_get", Method: http.MethodGet, URL: crmSrv.URL + "/here", Header: header})
	if err != nil || resp.Status != 200 || string(resp.Body) != `{"ok":true}` {
		t.Errorf("redirect within base_url's origin: %+v %v, want it followed", resp, err)
	}
}

// TestRedirectElsewhereIsNotResent: a base_url answered by a redirect to
// another origin (http:// where the CRM redirects to https://, an old
// host) is refused, as above; a read so refused was then resent, up to
// three times with back-off, into the same redirect: four requests and
// seconds of waiting for each read of crm check, and each counted by the
// CRM's rate limit. It is sent once: the fix is in base_url.
func TestRedirectElsewhereIsNotResent(t *testing.T) {
	var asked atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		http.Redirect(w, r, "https://api.example.invalid"+r.URL.Path, http.StatusMovedPermanently)
	}))
	defer srv.Close()
	c := NewHTTPClient(Options{RetryMax: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	_, err := c.Do(context.Background(), Call{Op: "properties", Method: http.MethodGet, URL: srv.URL + "/crm/v3/properties/deals"})
	if err == nil || !strings.Contains(err.Error(), "redirected to https://api.example.invalid, not followed") {
		t.Fatalf("err %v; want the redirect refused, naming where to", err)
	}
	if n := asked.Load(); n != 1 {
		t.Fatalf("the redirect was asked for %d times, want once", n)
	}
}
