package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestCRMBaseURLMustBeHTTPS: the token and the leads go to base_url, so
// only https:// is taken, and http:// to this host (a stand-in CRM); a
// URL without a scheme or of another scheme would fail every request.
func TestCRMBaseURLMustBeHTTPS(t *testing.T) {
	wd, _ := os.Getwd()
	maps := filepath.Join(wd, "..", "..", "mappings", "hubspot")
	cases := []struct {
		url, problem string
	}{
		{"https://api.hubapi.com", ""},
		{"https://eu1.example.net:8443/crm", ""},
		{"http://127.0.0.1:8090", ""},
		{"http://[::1]:8090", ""},
		{"http://localhost:8090", ""},
		{"http://api.hubapi.com", "would send the token and the leads unencrypted"},
		{"http://10.0.0.5:8090", "would send the token and the leads unencrypted"},
		{"http://portal:pw-secret@api.hubapi.com", "would send the token and the leads unencrypted"},
		{"api.hubapi.com", "is not an https:// URL"},
		{"ftp://api.hubapi.com", "is not an https:// URL"},
		{"https://", "is not an https:// URL"},
	}
	for _, c := range cases {
		file := filepath.Join(t.TempDir(), "c.yaml")
		yaml := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [a-long-enough-token-0123456789]\n" +
			"crm:\n  kind: hubspot\n  hubspot:\n    base_url: " + c.url + "\n    token: t\nmapping:\n  dir: " + maps + "\n"
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := config.Load(file, env(nil))
		switch {
		case c.problem == "" && err != nil:
			t.Errorf("%s: refused: %v", c.url, err)
		case c.problem != "" && (err == nil || !strings.Contains(err.Error(), c.problem)):
			t.Errorf("%s: error %v, want one saying %q", c.url, err, c.problem)
		case err != nil && strings.Contains(err.Error(), "pw-secret"):
			t.Errorf("%s: the error echoes the password: %v", c.url, err)
		}
	}
}

// TestCRMBaseURLHoldingATokenIsRefusedUnsaid: a base_url pasted with a
// token in its query (Pipedrive's ?api_token=, HubSpot's old ?hapikey=)
// or fragment loaded, sent every request to the API's root (404 each), and
// the problems said about it (not https, not /api/v2, a placeholder)
// quoted the URL whole, the token with it, even as the address to write.
// It is refused, saying where the token goes, and no problem quotes it.
// So is a token written as the URL's login (https://TOKEN@host, or
// api:TOKEN@): one that did not parse was quoted whole (is not an https://
// URL), and one that did loaded, and was quoted as the address to write.
func TestCRMBaseURLHoldingATokenIsRefusedUnsaid(t *testing.T) {
	wd, _ := os.Getwd()
	const secret = "Tk9f3e2d1c0b"
	cases := []struct{ kind, url string }{
		{"pipedrive", "https://acme.pipedrive.com/api/v2?api_token=" + secret},
		{"pipedrive", "https://acme.pipedrive.com/api/v1?api_token=" + secret},
		{"pipedrive", "https://acme.pipedrive.com/v1/persons?api_token=" + secret},
		{"pipedrive", "https://COMPANY.pipedrive.com/api/v2?api_token=" + secret},
		{"pipedrive", "acme.pipedrive.com/api/v2?api_token=" + secret},
		{"pipedrive", "https://acme.pipedrive.com/api/v2#" + secret},
		{"hubspot", "https://api.hubapi.com/#"},
		{"hubspot", "https://api.hubapi.com?hapikey=" + secret},
		{"hubspot", "http://api.hubapi.com/?hapikey=" + secret},
		{"hubspot", "api.hubapi.com?hapikey=" + secret},
		{"hubspot", "http://127.0.0.1:8090/?hapikey=" + secret},
		// the token as the URL's login, where the address does not parse,
		// or is refused for another reason
		{"pipedrive", "https://api:" + secret + "@acme.pipedrive.com:port/api/v2"},
		{"pipedrive", "https://" + secret + "@acme.pipedrive.com:port/api/v2"},
		{"pipedrive", "https://" + secret + "@acme.pipedrive.com/api"},
		{"hubspot", "http://" + secret + "@api.hubapi.com/"},
	}
	for _, c := range cases {
		file := filepath.Join(t.TempDir(), "c.yaml")
		yaml := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [a-long-enough-token-0123456789]\n" +
			"crm:\n  kind: " + c.kind + "\n  " + c.kind + ":\n    base_url: " + c.url + "\n    token: t\n" +
			"mapping:\n  dir: " + filepath.Join(wd, "..", "..", "mappings", c.kind) + "\n"
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := config.Load(file, env(nil))
		switch {
		case err == nil:
			t.Errorf("%s: loaded", c.url)
		case strings.Contains(err.Error(), secret):
			t.Errorf("%s: the problem says the token:\n%v", c.url, err)
		case !strings.Contains(err.Error(), "is not an https:// URL") &&
			!strings.Contains(err.Error(), "put the token in crm."+c.kind+".token or token_file"):
			t.Errorf("%s: no problem says where the token goes:\n%v", c.url, err)
		}
	}
}
