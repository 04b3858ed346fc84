package main

import (
	"strings"
	"time"
)

// age says a duration as syncd status prints how long ago something was,
// or for how long: to the second under an hour ("4s", "13m30s"), to the
// minute from an hour on ("5h35m"), with the units that are zero at its
// end left out ("26h", "2m"). Go's own notation, "26h0m0s", "5h35m0s",
// reads as a code to an operator.
func age(d time.Duration) string {
	if d >= time.Hour || d <= -time.Hour {
		d = d.Round(time.Minute)
	} else {
		d = d.Round(time.Second)
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
