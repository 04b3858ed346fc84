package schedule

import (
	"strings"
	"testing"
	"time"
)

// TestZoneWithoutATimeIsRefused: a schedule of a time zone alone,
// "CRON_TZ=Europe/Copenhagen", panicked in robfig/cron's parser: syncd
// validate crashed, and a reload of such a file stopped the daemon. So did
// a schedule of spaces alone, in Check. Each is refused in words.
func TestZoneWithoutATimeIsRefused(t *testing.T) {
	for _, c := range []struct {
		spec string
		want string
	}{
		{"CRON_TZ=Europe/Copenhagen", `names a time zone and no time: write the schedule after it, as "CRON_TZ=Europe/Copenhagen 0 6 * * *"`},
		{"TZ=UTC", `names a time zone and no time: write the schedule after it, as "TZ=UTC 0 6 * * *"`},
		{"CRON_TZ=Europe/Copenhagen ", `names a time zone and no time`},
		{" ", "names no time: write five fields, minute, hour, day of month, month, day of week"},
	} {
		err := Check(c.spec)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), `"`+c.spec+`"`) ||
			!strings.Contains(err.Error(), Example) {
			t.Errorf("%q: %v\nwant %q, the spec and the example in it", c.spec, err, c.want)
		}
		if _, err := Parse(c.spec, time.UTC); err == nil {
			t.Errorf("Parse(%q): no error", c.spec)
		}
	}
}
