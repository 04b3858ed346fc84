package syncd

import (
	"testing"
	"time"
)

// TestHowLongSaysDurationsInWords: durations an operator or a manager
// reads are words, not Go's "2m0s".
func TestHowLongSaysDurationsInWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Minute: "1 minute", 2 * time.Minute: "2 minutes", 90 * time.Second: "2 minutes", 0: "0 seconds", 10 * time.Second: "10 seconds", 1400 * time.Millisecond: "1 second",
		time.Hour: "1 hour", 90 * time.Minute: "1.5 hours", 26 * time.Hour: "26 hours",
	} {
		if got := HowLong(d); got != want {
			t.Errorf("HowLong(%v) = %q, want %q", d, got, want)
		}
	}
}
