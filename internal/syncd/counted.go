package syncd

import (
	"strconv"
	"time"
)

// Counted is n with the noun that fits it, as people write a count: "1
// event", "0 events", "2 events" (one is the singular, many the plural).
// Operator and person alike read "1 events" as a slip.
func Counted(n int, one, many string) string {
	return strconv.Itoa(n) + " " + Noun(n, one, many)
}

// Noun is the noun that fits a count of n, without it: one for 1, else
// many, as before a list ("operation 12", "operations 12, 13").
func Noun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// HowLong says d in words: in seconds under a minute ("10 seconds"), in
// minutes under an hour ("10 minutes"), else in hours to a tenth ("1.5
// hours", "1 hour"), not as Go prints a time.Duration ("10m0s"), which a
// manager or an operator reads as a code.
func HowLong(d time.Duration) string {
	if d < time.Minute {
		return Counted(int(d.Round(time.Second)/time.Second), "second", "seconds")
	}
	if d < time.Hour {
		return Counted(int(d.Round(time.Minute)/time.Minute), "minute", "minutes")
	}
	return HowLongIn(d, func(h float64) string { return strconv.FormatFloat(h, 'f', -1, 64) })
}

// HowLongIn is HowLong with hours of an hour or more written by decimal
// (a reader's decimal sign: "5,6 hours"); under an hour it is HowLong.
func HowLongIn(d time.Duration, decimal func(hours float64) string) string {
	if d < time.Hour {
		return HowLong(d)
	}
	h := float64(d.Round(6*time.Minute)) / float64(time.Hour)
	if h == 1 {
		return "1 hour"
	}
	return decimal(h) + " hours"
}
