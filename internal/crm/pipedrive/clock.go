package pipedrive

import (
	"net/http"
	"time"
)

// theirClock reads how far Pipedrive's clock is ahead of ours from an
// answer's Date header (whole seconds), the answer asked for at asked and
// received at got by our clock, and how far off that reading may be. A
// host's clock may be an hour or more off (a hardware clock kept in local
// time, NTP not running), while Pipedrive's add_time is by its own: read
// by ours, a record just made looks an hour old or an hour ahead. Without
// a Date, both are 0.
func theirClock(h http.Header, asked, got time.Time) (ahead, within time.Duration) {
	d, err := http.ParseTime(h.Get("Date"))
	if err != nil || got.Before(asked) {
		return 0, 0
	}
	// Pipedrive stamped the Date in [d, d+1s) of its clock, at a moment
	// between asked and got of ours.
	half := got.Sub(asked) / 2
	ahead = d.Add(500 * time.Millisecond).Sub(asked.Add(half))
	return ahead, 500*time.Millisecond + half
}
