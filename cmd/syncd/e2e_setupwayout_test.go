package main_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMSetupThatCannotReadTheAccountSaysWhatToDo: `syncd crm setup` run
// first, as the README's local trial does, with a token HubSpot refuses or
// a base_url nothing answers at, ended on the read's raw error (`syncd:
// list contacts properties: crm 401 INVALID_AUTHENTICATION: Authentication
// credentials not found…`, `crm NETWORK: properties_list: Get: dial tcp
// …`) and no way out, where `crm check` names the token or base_url to
// correct. It now says it plainly, with what to do, after the error.
func TestCRMSetupThatCannotReadTheAccountSaysWhatToDo(t *testing.T) {
	t.Parallel()
	_, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "another-accounts-token"})
	for _, tc := range []struct {
		name, url string
		want      []string
	}{
		{"token refused", fakeURL, []string{"HubSpot refuses the token (401 INVALID_AUTHENTICATION)",
			"put a valid token in the configuration; run `syncd crm setup` again"}},
		{"nothing answers", "http://" + freeAddr(t), []string{"no answer from HubSpot (connection refused)",
			"check crm.hubspot.base_url and the network; run `syncd crm setup` again"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			config := writeCRMConfig(t, t.TempDir(), tc.url)
			out, stderr, code := syncdRun(t, "crm", "setup", "-config", config)
			t.Logf("syncd crm setup, exit %d:\n%s%s", code, out, stderr)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			mustContain(t, "setup's error", stderr, tc.want...)
			if strings.Contains(stderr, "run the check again") {
				t.Errorf("setup tells to run the check again:\n%s", stderr)
			}
		})
	}
}
