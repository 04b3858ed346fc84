package schedule

import (
	"strings"
	"testing"
)

// TestEmptyZoneIsRefused: "CRON_TZ= 0 6 * * *" (a zone left out, or an
// environment variable that was empty) is read by robfig/cron as UTC, so
// an agency in Copenhagen had its report an hour or two off with no word
// said. It is refused as the zone it does not name.
func TestEmptyZoneIsRefused(t *testing.T) {
	for _, spec := range []string{"CRON_TZ= 0 6 * * *", "TZ= @every 1m"} {
		err := Check(spec)
		if err == nil || !strings.Contains(err.Error(), "names no time zone") || !strings.Contains(err.Error(), Example) {
			t.Errorf("%q: %v; want it refused as naming no time zone", spec, err)
		}
	}
	if err := Check("CRON_TZ=UTC 0 6 * * *"); err != nil {
		t.Errorf("a zone written: %v", err)
	}
}
