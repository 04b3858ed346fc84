package crm_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestLimitFixSaysWhenInWords: a check's row for a read refused with 429
// said when to run it again as Go prints a duration ("in 10s", "in
// 2m30s"), and that the limit was spent, which its problem said already.
func TestLimitFixSaysWhenInWords(t *testing.T) {
	for _, tc := range []struct {
		after time.Duration
		want  string
	}{
		{0, "run the check again in a minute"},
		{10 * time.Second, "run the check again in 10 seconds"},
		{time.Second, "run the check again in 1 second"},
		{150 * time.Second, "run the check again in 3 minutes"},
	} {
		err := &syncd.CRMError{Status: http.StatusTooManyRequests, Code: "TEN_SECONDLY_ROLLING", RetryAfter: tc.after}
		problem, fix := crm.ReadFailure("HubSpot", "crm.hubspot.base_url", err)
		if !strings.HasSuffix(fix, tc.want) || strings.Contains(fix, "spent") {
			t.Errorf("Retry-After %v: fix %q, want it to end %q and not say again that the limit is spent (%q)", tc.after, fix, tc.want, problem)
		}
	}
	if fix := crm.LimitFix(&syncd.CRMError{Status: http.StatusServiceUnavailable}); fix != "" {
		t.Errorf("LimitFix of a 503: %q, want none", fix)
	}
}
