package metrics

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestSentCountsTheLastTenMinutes: what the syncer finished is counted for
// SentWindow from when it finished, with when the first counted one did;
// none once the window passed it.
func TestSentCountsTheLastTenMinutes(t *testing.T) {
	m := New("test")
	now := time.Unix(1_800_000_000, 0)
	m.Now = func() time.Time { return now }
	m.OpsFinished("hubspot", 100)
	now = now.Add(4 * time.Minute)
	m.OpsFinished("hubspot", 50)
	m.OpsFinished("hubspot", 0) // nothing finished: no batch
	want := `# HELP syncd_outbox_sent_recent_ops Outbox operations this process sent to the CRM target and finished (done or dead) in the last 10 minutes.
# TYPE syncd_outbox_sent_recent_ops gauge
syncd_outbox_sent_recent_ops{target="hubspot"} %d
# HELP syncd_outbox_sent_recent_since_timestamp_seconds When the first of syncd_outbox_sent_recent_ops finished (Unix seconds; 0 when none did).
# TYPE syncd_outbox_sent_recent_since_timestamp_seconds gauge
syncd_outbox_sent_recent_since_timestamp_seconds{target="hubspot"} %s
`
	for _, c := range []struct {
		after time.Duration
		n     int
		since string
	}{{0, 150, "1.8e+09"}, {7 * time.Minute, 50, "1.80000024e+09"}, {11 * time.Minute, 0, "0"}} {
		now = time.Unix(1_800_000_000, 0).Add(4*time.Minute + c.after)
		exp := strings.NewReader(strings.NewReplacer("%d", strconv.Itoa(c.n), "%s", c.since).Replace(want))
		if err := testutil.GatherAndCompare(m.Registry, exp, NameOutboxSent, NameOutboxSentSince); err != nil {
			t.Errorf("%v after the second batch: %v", c.after, err)
		}
	}
}
