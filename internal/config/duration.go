package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// notDuration is yaml's refusal of a value for a time.Duration: a number
// without a unit (which the docs' "0 disables" invites), a number of days
// (which "default 14 days" invites), or another text.
var notDuration = regexp.MustCompile("^cannot unmarshal !!(?:int|float|str) `([^`]*)` into time.Duration$")

// inDays is a number of days or weeks, as a person writes it: 14d, 2w,
// 14 days.
var inDays = regexp.MustCompile(`^(\d+)\s*(d|days?|w|weeks?)$`)

// durationHint says what to write for a value yaml refused as a duration
// (msg, yaml's refusal): Go's durations take a unit (ns, us, ms, s, m, h) and
// have none for days.
func durationHint(msg string) string {
	m := notDuration.FindStringSubmatch(msg)
	if m == nil { // a list or a section
		return "a duration is a number and a unit (ns, us, ms, s, m, h), as 90s, 10m or 336h"
	}
	v := strings.TrimSpace(m[1])
	if number(v) {
		return fmt.Sprintf("a duration takes a unit, e.g. %ss", v)
	}
	if d := inDays.FindStringSubmatch(v); d != nil {
		n, _ := strconv.Atoi(d[1])
		if strings.HasPrefix(d[2], "w") {
			n *= 7
		}
		days := "days"
		if n == 1 {
			days = "day"
		}
		return fmt.Sprintf("a duration has no unit for days: write %dh (%d %s)", 24*n, n, days)
	}
	if f := strings.Fields(v); len(f) == 2 && !strings.HasSuffix(v, "...") && number(f[0]) { // yaml cuts a long value with ...
		return fmt.Sprintf("write the number and its unit together, as %s%s", f[0], f[1])
	}
	return "a duration is a number and a unit (ns, us, ms, s, m, h), as 90s, 10m or 336h"
}

// number reports whether s is a number, as YAML would read it.
func number(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
