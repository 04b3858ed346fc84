package crm

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TheirClock reads how far the CRM's clock is ahead of ours from an
// answer's Date header (whole seconds), the answer asked for at asked and
// received at got by our clock, and how far off that reading may be. A
// host's clock may be an hour or more off (a hardware clock kept in local
// time, NTP not running), while the CRM's times (Pipedrive's add_time, a
// Retry-After date) are by its own. Without a Date, ok is false.
func TheirClock(h http.Header, asked, got time.Time) (ahead, within time.Duration, ok bool) {
	d, err := http.ParseTime(h.Get("Date"))
	if err != nil || got.Before(asked) {
		return 0, 0, false
	}
	// The CRM stamped the Date in [d, d+1s) of its clock, at a moment
	// between asked and got of ours.
	half := got.Sub(asked) / 2
	ahead = d.Add(500 * time.Millisecond).Sub(asked.Add(half))
	return ahead, 500*time.Millisecond + half, true
}

// AnsweredAt is when the CRM answered by its own clock (the answer's
// Date), else now: the moment its own times are counted from, as when its
// daily limit resets.
func AnsweredAt(h http.Header, now time.Time) time.Time {
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		return d
	}
	return now
}

// clockReading is the last TheirClock a client's answers gave.
type clockReading struct {
	mu     sync.Mutex
	ahead  time.Duration
	within time.Duration
	ok     bool
}

func (r *clockReading) set(ahead, within time.Duration, ok bool) {
	if !ok {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ahead, r.within, r.ok = ahead, within, true
}

// ClockAhead is how far the CRM's clock was ahead of ours (negative:
// behind) at its last answer that carried a Date, and how far off that
// reading may be; ok is false before any such answer.
func (c *Client) ClockAhead() (ahead, within time.Duration, ok bool) {
	c.clock.mu.Lock()
	defer c.clock.mu.Unlock()
	return c.clock.ahead, c.clock.within, c.clock.ok
}

// clockOffBy is how far this host's clock may be from the CRM's before a
// check warns of it.
const clockOffBy = 2 * time.Minute

// ClockFinding is a check's warning when this host's clock is off the
// CRM's (crm names it) by more than two minutes at the client's last
// answer: syncd reads the CRM's times by the CRM's clock, but its
// schedules, the report's day and every time it shows are this host's.
func ClockFinding(c *Client, crm string) (syncd.Finding, bool) {
	ahead, within, ok := c.ClockAhead()
	off := ahead
	if off < 0 {
		off = -off
	}
	if !ok || off-within <= clockOffBy {
		return syncd.Finding{}, false
	}
	way := "behind"
	if ahead < 0 {
		way = "ahead of"
	}
	return syncd.Finding{Severity: syncd.SevWarn, Object: "account", Name: "clock",
		Problem: fmt.Sprintf("this host's clock is %s %s %s's (the Date of its answers)", syncd.HowLong(off.Round(time.Minute)), way, crm),
		Fix: "set this host's clock right (timedatectl status; timedatectl set-ntp true): the daily report's day and hour, " +
			"the schedules and every time syncd shows follow it"}, true
}
