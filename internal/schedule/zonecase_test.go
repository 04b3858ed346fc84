package schedule

import (
	"strings"
	"testing"
)

// TestZoneInLowerCaseIsSaidSo: robfig/cron reads a time zone only after
// CRON_TZ= or TZ= in capitals; "cron_tz=Europe/Copenhagen 0 6 * * *" was
// taken for six fields and told about a seconds field, which the operator
// never wrote. It is told to write the prefix in capitals.
func TestZoneInLowerCaseIsSaidSo(t *testing.T) {
	for _, spec := range []string{"cron_tz=Europe/Copenhagen 0 6 * * *", "Tz=UTC */5 * * * *"} {
		err := Check(spec)
		if err == nil || !strings.Contains(err.Error(), "in capitals") || strings.Contains(err.Error(), "second") {
			t.Errorf("%q: %v; want it told to write the prefix in capitals", spec, err)
		}
	}
}
