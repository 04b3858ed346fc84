package webhook_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestAllowlistRefusalThroughAProxyWithoutXFFSaysSo: behind a trusted
// proxy that sends no X-Forwarded-For syncd can read (nginx set up with
// X-Real-IP only, a proxy writing only Forwarded, or "unknown"), the
// address allow_ips judged is the proxy's own. The warning gave it as the
// client, which the README calls the one to add, and allowing it admits
// every client that reaches the proxy: the allowlist void without a word.
// The warning now says the proxy was judged and what to set in it; a
// refusal of a forwarded client says nothing of the kind.
func TestAllowlistRefusalThroughAProxyWithoutXFFSaysSo(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(o *webhook.Options) {
		o.Sources[1].AllowIPs = []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}
		o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		o.LogEvery = time.Nanosecond
	})
	body := fixture(t, "eaf/feed_import.json")
	for _, c := range []struct {
		header, value string
		proxyJudged   bool
	}{
		{"X-Real-IP", "203.0.113.9", true},
		{"Forwarded", "for=203.0.113.9;proto=https", true},
		{"X-Forwarded-For", "unknown", true},
		{"X-Forwarded-For", "198.51.100.7", false},
	} {
		before := len(r.log.String())
		req, _ := http.NewRequest("POST", r.url+"/hooks/eaf/"+eafToken, bytes.NewReader(body))
		req.Header.Set(c.header, c.value)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Fatalf("%s: %s: %d; want 403", c.header, c.value, resp.StatusCode)
		}
		var line struct{ Reason, Client, Fix string }
		logged := strings.TrimSpace(r.log.String()[before:])
		if err := json.Unmarshal([]byte(logged), &line); err != nil || line.Reason != "ip_not_allowed" {
			t.Fatalf("%s: %s: logged %q (%v); want one ip_not_allowed warning", c.header, c.value, logged, err)
		}
		said := strings.Contains(line.Fix, "X-Forwarded-For") && strings.Contains(line.Fix, "trusted_proxies")
		if said != c.proxyJudged {
			t.Errorf("%s: %s: client %s, fix %q; want the proxy judged said: %v", c.header, c.value, line.Client, line.Fix, c.proxyJudged)
		}
	}
}
