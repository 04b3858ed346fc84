package syncd

import "time"

// Backoff is the one exponential back-off of syncd: base*2^n capped at max,
// then a uniform pick in its upper half (jitter(d) returns a random
// duration in [0, d)), so that clients that failed together spread out.
// n is the number of failures before this wait, from 0.
func Backoff(base, max time.Duration, n int, jitter func(time.Duration) time.Duration) time.Duration {
	d := base
	for i := 0; i < n && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	if d <= 0 {
		return 0
	}
	half := d / 2
	return half + jitter(half+1)
}
