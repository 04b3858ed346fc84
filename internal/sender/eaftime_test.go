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

// TestEAFTimestampPastTheYear9999IsNoTime: an eaf_timestamp in milliseconds
// (1630703198000), or of 30 digits, was read as a time in the year 53,644
// or 292,277,026,596: the report showed that as the import's or the
// submission's time, and a failing listing "submitted" then could not be
// fixed by any later success. Such a timestamp is no time: the report
// shows when syncd received the body, as without one; Unix seconds are
// read as before.
func TestEAFTimestampPastTheYear9999IsNoTime(t *testing.T) {
	eaf := For(syncd.KindEAF)
	for ts, want := range map[string]time.Time{
		"1630703198":                     time.Unix(1630703198, 0),
		"1630703198000":                  {},
		"123456789012345678901234567890": {},
	} {
		s := eaf.Submission([]byte(`{"eaf_type":"portal_submission","eaf_status":"error","eaf_timestamp":` + ts + `}`))
		i := eaf.Import([]byte(`{"eaf_type":"feed_import","eaf_timestamp":` + ts + `}`))
		if !s.At.Equal(want) || !i.At.Equal(want) {
			t.Errorf("eaf_timestamp %s: submission at %v, import at %v; want %v", ts, s.At, i.At, want)
		}
	}
}
