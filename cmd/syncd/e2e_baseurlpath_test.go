package main_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCRMBaseURLWithTheTokenInItsPathIsRefusedUnsaid: a CRM token pasted
// into base_url's path (HubSpot's private app token after the host,
// Pipedrive's 40 hex digits after /api/v2, api_token= behind a ; or an
// encoded ?) loaded for HubSpot, every request then going to a path the
// API does not have, and for Pipedrive was printed whole by validate,
// serve and status as the address that is not /api/v2. Each is refused,
// exit 2, saying to put the token in token_file, and no output of any
// command shows it; a query naming api_token or hapikey is said to hold
// the token, by its key alone.
func TestCRMBaseURLWithTheTokenInItsPathIsRefusedUnsaid(t *testing.T) {
	t.Parallel()
	const hex = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432" // Pipedrive's form: 40 hex digits
	const pat = "pat-na1-1a2b3c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d"
	for _, c := range []struct{ kind, url, secret, says string }{
		{"hubspot", "https://api.hubapi.com/" + pat + "/", pat, "holds what looks like the token in its path"},
		{"hubspot", "https://api.hubapi.com/" + strings.TrimPrefix(pat, "pat-na1-"), strings.TrimPrefix(pat, "pat-na1-"), "holds what looks like the token in its path"},
		{"pipedrive", "https://acme.pipedrive.com/api/v2/" + hex, hex, "holds what looks like the token in its path"},
		{"pipedrive", "https://acme.pipedrive.com/api/v2;api_token=" + hex, hex, "holds what looks like the token in its path"},
		{"pipedrive", "https://acme.pipedrive.com/api/v1%3Fapi_token=" + hex, hex, "holds what looks like the token in its path"},
		{"pipedrive", "https://acme.pipedrive.com/api/v1?api_token=" + hex, hex, "a query holding the token (api_token=…, not shown here)"},
		{"hubspot", "https://api.hubapi.com/?hapikey=" + pat, pat, "a query holding the token (hapikey=…, not shown here)"},
	} {
		dir := t.TempDir()
		maps, _ := filepath.Abs("../../mappings/" + c.kind)
		file := filepath.Join(dir, "syncd.yaml")
		yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "crm:\n  kind: "+c.kind+"\n  "+c.kind+":\n    base_url: \""+
			c.url+"\"\n    token: crm-token-0123456789\n"), "mapping:\n  dir: "+filepath.Dir(maps)+"/hubspot", "mapping:\n  dir: "+maps, 1)
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"validate"}, {"serve"}, {"status"}, {"crm", "check"}, {"events", "list"}} {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // a serve that starts is ended
			var b bytes.Buffer
			cmd := syncdCmdContext(ctx, append(args, "-config", file)...)
			cmd.Stdout, cmd.Stderr = &b, &b
			cmd.Run()
			cancel()
			all, code := b.String(), cmd.ProcessState.ExitCode()
			if strings.Contains(all, c.secret) {
				t.Errorf("%s: syncd %s shows the token:\n%s", c.url, strings.Join(args, " "), all)
			}
			if args[0] == "events" { // reads the store alone: the CRM's settings are not its concern
				continue
			}
			if code != 2 || !strings.Contains(all, c.says) || !strings.Contains(all, "put the token in crm."+c.kind+".token or token_file") {
				t.Errorf("%s: syncd %s: exit %d, want 2 saying %q and where the token goes:\n%s", c.url, strings.Join(args, " "), code, c.says, all)
			}
		}
	}
}
