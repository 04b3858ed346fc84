package webhook_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestBasicAuthReadAsRFC7235WritesIt: a source's basic_auth takes the
// Authorization header as RFC 7235 and 7617 write it: the scheme in any
// case, then one or more spaces (credentials = auth-scheme 1*SP token68),
// then the base64 of user:password. net/http's Request.BasicAuth takes
// exactly one space, and a sender's client writing two (or a tab) was
// refused 401 at every retry, its leads lost, with the right password. A
// wrong password, another scheme or no credentials stay refused, and the
// GET check of the URL judges the header as a POST does.
func TestBasicAuthReadAsRFC7235WritesIt(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(o *webhook.Options) {
		o.Sources[1].BasicUser, o.Sources[1].BasicPass = "portal", "pa55:word"
	})
	cred := base64.StdEncoding.EncodeToString([]byte("portal:pa55:word"))
	wrong := base64.StdEncoding.EncodeToString([]byte("portal:pa55word"))
	noColon := base64.StdEncoding.EncodeToString([]byte("portalpa55:word")[:6])
	body := fixture(t, "eaf/feed_import.json")
	do := func(method, auth string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, r.url+"/hooks/eaf/"+eafToken, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, gjson.Get(b.String(), "check").Str
	}
	for _, auth := range []string{
		"Basic " + cred, "basic " + cred, "BASIC " + cred,
		"Basic  " + cred, "Basic   " + cred, "Basic\t" + cred, "Basic \t " + cred,
	} {
		if code, _ := do(http.MethodPost, auth); code != 200 {
			t.Errorf("POST with Authorization %q: %d, want 200", auth, code)
		}
		if code, check := do(http.MethodGet, auth); code != 405 || !strings.HasPrefix(check, "the URL is right") {
			t.Errorf("GET with Authorization %q: %d, check %q; want 405, the URL is right", auth, code, check)
		}
	}
	for _, auth := range []string{
		"", "Basic", "Basic ", "Basic  " + wrong, "Basic " + noColon, "Bearer " + cred, "Basicx " + cred,
		"Basic" + cred, "Basic " + cred + "garbage", "Digest  " + cred,
	} {
		if code, _ := do(http.MethodPost, auth); code != 401 {
			t.Errorf("POST with Authorization %q: %d, want 401", auth, code)
		}
		if code, check := do(http.MethodGet, auth); code != 405 || !strings.Contains(check, "basic_auth") {
			t.Errorf("GET with Authorization %q: %d, check %q; want 405 asking for basic auth", auth, code, check)
		}
	}
}
