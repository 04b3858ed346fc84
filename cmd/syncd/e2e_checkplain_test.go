package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// checkPlainConfig writes the configuration of a stand-in CRM of kind at
// url into dir and returns its path.
func checkPlainConfig(t *testing.T, kind, dir, url string) string {
	t.Helper()
	cfg := crmConfig(dir, url, e2eLBToken)
	if kind == crmfake.KindPipedrive {
		cfg = pipedriveConfig(dir, url)
	}
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return config
}

// TestCRMCheckSaysFailedReadsPlainly: crm check whose reads of the account
// failed printed the error as Go makes it, on its first line and in its
// rows: "crm 500 INTERNAL_ERROR: internal error", "crm 200 BAD_JSON:
// decode answer: invalid character ','", with the fix "look at the CRM's
// answer" (an answer the operator never sees), and on Pipedrive a 5xx's fix
// was to check base_url and the network. Each now says what happened (the
// CRM failed on its side, answered 404, sent no JSON) and what to do.
func TestCRMCheckSaysFailedReadsPlainly(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	raw := []string{"crm 5", "crm 4", "crm 200", "BAD_JSON", "decode answer", "invalid character", "look at the CRM's answer"}
	for _, tc := range []struct {
		kind  string
		fault crmfake.Fault
		want  []string
	}{
		{crmfake.KindHubSpot, crmfake.Fault{Action: crmfake.ActError, Status: 500}, []string{"HubSpot failed on its side (500", "run the check again in a few minutes"}},
		{crmfake.KindHubSpot, crmfake.Fault{Action: crmfake.ActError, Status: 404}, []string{"HubSpot answered 404 Not Found", "crm.hubspot.base_url is the CRM's API address"}},
		{crmfake.KindHubSpot, crmfake.Fault{Action: crmfake.ActMalformed}, []string{"was not the JSON its API sends", "not a proxy's or a web page's"}},
		{crmfake.KindPipedrive, crmfake.Fault{Action: crmfake.ActError, Status: 502, HTML: true}, []string{"Pipedrive failed on its side (502 Bad Gateway)", "nothing to change in syncd or the account"}},
		{crmfake.KindPipedrive, crmfake.Fault{Action: crmfake.ActMalformed}, []string{"Pipedrive's answer (200) was not the JSON its API sends"}},
		{crmfake.KindPipedrive, crmfake.Fault{Action: crmfake.ActRateLimit}, []string{"Pipedrive's rate limit is spent for now (429"}},
	} {
		// Side by side, each with its own stand-in: most of each case's
		// time is the client's back-off between its resends.
		t.Run(fmt.Sprintf("%s %s %d", tc.kind, tc.fault.Action, tc.fault.Status), func(t *testing.T) {
			t.Parallel()
			fake, url := startFakeCRM(t, crmfake.Options{Kind: tc.kind})
			fake.AddFault(tc.fault)
			out, stderr, code := syncdRun(t, "crm", "check", "-config", checkPlainConfig(t, tc.kind, t.TempDir(), url))
			t.Logf("%s %s %d: crm check, exit %d:\n%s%s", tc.kind, tc.fault.Action, tc.fault.Status, code, out, stderr)
			mustContain(t, "crm check", out, tc.want...)
			for _, r := range raw {
				if strings.Contains(out, r) {
					t.Errorf("%s %s %d: crm check printed %q, the error as Go makes it", tc.kind, tc.fault.Action, tc.fault.Status, r)
				}
			}
		})
	}
}

// TestCRMCheckOfAnUnreadAccountIsNotOK: on a first run, nothing pinned, a
// crm check whose read of the account the token belongs to failed (a 503)
// while every other read passed said "account: not known (…)" and ended
// "ok, the account is ready for the mappings", exit 0: the line the
// operator is to confirm the client's account by was never shown, and a
// script went on to start the daemon. It now ends as a check that could
// not read the account (exit 1), with a row that says so and to pin the
// account once the first line names it.
func TestCRMCheckOfAnUnreadAccountIsNotOK(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	for _, tc := range []struct{ kind, path, key string }{
		{crmfake.KindHubSpot, "/account-info/v3/details", "crm.hubspot.hub_id"},
		{crmfake.KindPipedrive, "/api/v1/users/me", "crm.pipedrive.company_id"},
	} {
		fake, url := startFakeCRM(t, crmfake.Options{Kind: tc.kind})
		config := checkPlainConfig(t, tc.kind, t.TempDir(), url)
		if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
			t.Fatalf("%s: crm setup, exit %d:\n%s%s", tc.kind, code, out, stderr)
		}
		fake.AddFault(crmfake.Fault{Path: tc.path, Action: crmfake.ActError, Status: 503})
		out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
		t.Logf("%s: crm check, exit %d:\n%s%s", tc.kind, code, out, stderr)
		if code != 1 || strings.Contains(out, "ok, the account is ready") {
			t.Errorf("%s: crm check exit %d, ok said: %v; want 1 (the account could not be read), not ok", tc.kind, code, strings.Contains(out, "ok, the account"))
		}
		mustContain(t, "crm check", out, "account: not known (", "the account the token belongs to could not be read",
			"pin the account its first line names ("+tc.key+")")
	}
}

// TestCRMSetupSaysFailedCallsPlainly: crm setup whose call the CRM
// refused printed the error as Go makes it ("syncd: list contacts
// properties: crm 429 TEN_SECONDLY_ROLLING: You have reached…") above its
// plain line, and that line said the limit was spent twice ("HubSpot's
// rate limit is spent for now (429 …): nothing to change in the account:
// the CRM's rate limit is spent for now (…)") and when to run it again as
// Go prints a duration ("in 10s"). The plain line alone now, once, in
// words (crm check's row too: TestLimitFixSaysWhenInWords, internal/crm).
func TestCRMSetupSaysFailedCallsPlainly(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	for _, tc := range []struct {
		fault crmfake.Fault
		want  []string
	}{
		{crmfake.Fault{Action: crmfake.ActRateLimit, RetryAfter: "10"},
			[]string{"syncd crm setup: HubSpot's rate limit is spent for now (429", "run `syncd crm setup` again in 10 seconds",
				// said as it waits, not after 30 silent seconds
				"syncd crm setup: hubspot refused properties_list for its rate limit (429)"}},
		{crmfake.Fault{Action: crmfake.ActError, Status: 401}, []string{"syncd crm setup: HubSpot refuses the token (401"}},
	} {
		t.Run(fmt.Sprintf("%s %d", tc.fault.Action, tc.fault.Status), func(t *testing.T) {
			t.Parallel() // the 429's case waits out its Retry-After, the other none
			fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot})
			fake.AddFault(tc.fault)
			config := checkPlainConfig(t, crmfake.KindHubSpot, t.TempDir(), url)
			out, stderr, code := syncdRun(t, "crm", "setup", "-config", config)
			t.Logf("%s %d: crm setup, exit %d:\n%s%s", tc.fault.Action, tc.fault.Status, code, out, stderr)
			if code != 1 {
				t.Errorf("%s %d: crm setup exit %d, want 1", tc.fault.Action, tc.fault.Status, code)
			}
			mustContain(t, "crm setup's stderr", stderr, tc.want...)
			for _, r := range []string{"crm 4", "list contacts properties:", "10s"} {
				if strings.Contains(stderr, r) {
					t.Errorf("%s %d: crm setup printed %q, the error as Go makes it", tc.fault.Action, tc.fault.Status, r)
				}
			}
			if n := strings.Count(stderr, "rate limit is spent"); n > 1 {
				t.Errorf("%s: crm setup says the rate limit is spent %d times", tc.fault.Action, n)
			}
		})
	}
}
