package webhook_test

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestURLOpenedInABrowserSaysWhetherItIsRight: an operator who opens the
// URL given to a sender in a browser (a GET) saw {"error":"Method Not
// Allowed"}, whether the source and token were right or not. The answer is
// still 405 (Allow: POST), and says whether a sender's POST there would be
// taken, judged as a POST is: source, allow_ips, token, basic auth (whose
// missing credentials make the browser ask for them).
func TestURLOpenedInABrowserSaysWhetherItIsRight(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(o *webhook.Options) {
		o.Sources = append(o.Sources,
			webhook.Source{Name: "guarded", Kind: syncd.KindEAF, Tokens: []string{"guarded-token-0123456789"},
				BasicUser: "portal", BasicPass: "s3cret-pass"},
			webhook.Source{Name: "walled", Kind: syncd.KindEAF, Tokens: []string{"walled-token-0123456789a"},
				AllowIPs: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}})
	})
	for _, c := range []struct {
		path, user, says string
		asks             bool // WWW-Authenticate
	}{
		{path: "/hooks/eaf/" + eafToken, says: "the URL is right: source eaf takes its sender's deliveries here, by POST"},
		{path: "/hooks/eaf/not-the-token", says: "that token is none of its tokens: a sender's POST here is refused (401)"},
		{path: "/hooks/nosuch/" + eafToken, says: "no source of that name in syncd's configuration"},
		{path: "/hooks/walled/walled-token-0123456789a", says: "allow_ips, which this address is not in"},
		{path: "/hooks/guarded/guarded-token-0123456789", says: "also wants HTTP Basic authentication", asks: true},
		{path: "/hooks/guarded/guarded-token-0123456789", user: "portal", says: "the URL is right: source guarded"},
	} {
		req, err := http.NewRequest(http.MethodGet, r.url+c.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.user != "" {
			req.SetBasicAuth(c.user, "s3cret-pass")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]string
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != http.MethodPost ||
			!strings.Contains(body["check"], c.says) || (resp.Header.Get("WWW-Authenticate") != "") != c.asks {
			t.Errorf("GET %s: %d %v (Allow %q, WWW-Authenticate %q), want 405 saying %q",
				strings.SplitN(c.path, "/", 4)[2], resp.StatusCode, body, resp.Header.Get("Allow"),
				resp.Header.Get("WWW-Authenticate"), c.says)
		}
		if strings.Contains(r.log.String(), "-token-") || strings.Contains(r.log.String(), eafToken) {
			t.Fatalf("a token in the log: %s", r.log.String())
		}
	}
	// Any other method is refused as it was, with no check.
	req, _ := http.NewRequest(http.MethodPut, r.url+"/hooks/eaf/"+eafToken, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || body["check"] != "" {
		t.Errorf("PUT: %d %v, want 405 without a check", resp.StatusCode, body)
	}
}
