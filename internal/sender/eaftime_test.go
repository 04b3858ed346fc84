package sender

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestEAFTimeWithISO8601BasicOffset: the report shows a portal
// submission and a feed import at their eaf_date, else eaf_timestamp. An
// eaf_date whose offset ISO 8601 writes without its colon ("+0100") or as
// hours ("+01") was not read, so a body without eaf_timestamp showed when
// syncd received it instead; mapping reads those forms (formatDate).
func TestEAFTimeWithISO8601BasicOffset(t *testing.T) {
	want := time.Date(2021, 9, 3, 21, 6, 38, 0, time.UTC)
	eaf := For(syncd.KindEAF)
	for _, date := range []string{"2021-09-03T22:06:38+01:00", "2021-09-03T22:06:38+0100", "2021-09-03T22:06:38+01",
		"2021-09-03 22:06:38+01:00", "2021-09-03T21:06:38.000Z"} {
		s := eaf.Submission([]byte(`{"eaf_type":"portal_submission","eaf_status":"success","eaf_date":"` + date + `"}`))
		i := eaf.Import([]byte(`{"eaf_type":"feed_import","eaf_date":"` + date + `"}`))
		if !s.At.Equal(want) || !i.At.Equal(want) {
			t.Errorf("eaf_date %s: submission at %v, import at %v; want %v", date, s.At, i.At, want)
		}
	}
}
