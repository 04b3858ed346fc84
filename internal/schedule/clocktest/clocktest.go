// Package clocktest is a schedule.Clock for tests, as net/http/httptest
// is for HTTP: its wall clock can be stepped apart from its monotonic
// clock, and neither moves unless told to.
package clocktest

import (
	"sync"
	"time"
)

// Clock is a schedule.Clock whose time only moves by Advance and Step.
type Clock struct {
	mu     sync.Mutex
	wall   time.Time
	mono   time.Duration
	timers []timer
}

type timer struct {
	at time.Duration // on the monotonic clock
	c  chan time.Time
}

// New returns a Clock whose wall clock reads wall.
func New(wall time.Time) *Clock { return &Clock{wall: wall} }

// Now returns the wall clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wall
}

// Mono returns the monotonic clock's reading.
func (c *Clock) Mono() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mono
}

// After sends once Advance has moved the monotonic clock d on.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.wall
		return ch
	}
	c.timers = append(c.timers, timer{at: c.mono + d, c: ch})
	return ch
}

// Waiting returns how many channels After gave are still to send.
func (c *Clock) Waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// Advance moves both clocks on by d, as time passing does, and fires the
// timers due by then.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wall, c.mono = c.wall.Add(d), c.mono+d
	left := c.timers[:0]
	for _, t := range c.timers {
		if t.at <= c.mono {
			t.c <- c.wall
			continue
		}
		left = append(left, t)
	}
	c.timers = left
}

// Step moves the wall clock alone by d (back when negative), as NTP
// correcting a clock does, or a paused virtual machine's clock set right
// when it resumes.
func (c *Clock) Step(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wall = c.wall.Add(d)
}
