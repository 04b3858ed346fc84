package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// wellFormed says what is wrong with spec, which robfig/cron parsed as
// sched, where cron reads one of its fields otherwise than written
// (misread), or where it never comes; nil when neither.
func wellFormed(spec string, sched cron.Schedule) error {
	rest := strings.TrimSpace(spec)
	if strings.HasPrefix(rest, "CRON_TZ=") || strings.HasPrefix(rest, "TZ=") {
		var zone string
		zone, rest, _ = strings.Cut(rest, " ")
		if strings.HasSuffix(zone, "=") { // cron reads no zone as UTC
			return fmt.Errorf("%q: %s names no time zone: write one as %sEurope/Copenhagen, or leave %s out to use "+
				"the configured time zone (%s)", spec, zone, zone, zone, Example)
		}
	}
	if strings.HasPrefix(strings.TrimSpace(rest), "@") {
		return nil
	}
	for i, field := range strings.Fields(rest) {
		if why := misread(field, fields[i].every); why != "" {
			return fmt.Errorf("%q: the %s field (field %d of 5: %s), %s (%s)", spec, fields[i].name, i+1, fieldOrder, why, Example)
		}
	}
	if sched.Next(time.Now()).IsZero() { // cron looks five years ahead: a 29th of February comes within them
		return fmt.Errorf("%q never comes: no month it names has the day of month it names (February has 29 days "+
			"at most; April, June, September and November 30): name a day those months have (%s)", spec, Example)
	}
	return nil
}

// misread says how robfig/cron reads field otherwise than written, every
// being what * means in it; "" when it reads it as written. Cron drops an
// empty item of a list ("6,"), reads a list holding * or ? as * whatever
// else it lists ("6,*"), and a range from * or ? as * ("*-5").
func misread(field, every string) string {
	items := strings.Split(field, ",")
	var kept []string
	for _, item := range items {
		if item != "" {
			kept = append(kept, item)
		}
	}
	if len(kept) < len(items) {
		return fmt.Sprintf("%q has a comma with no value on one side, which cron drops: cron would read it as %q; "+
			"write one value between each two commas and none at the start or end (1,15)", field, strings.Join(kept, ","))
	}
	for _, item := range items {
		if item == "*" || item == "?" {
			if len(items) > 1 {
				return fmt.Sprintf("%q lists %s (%s) with other values, which then mean nothing: cron would run it %s; "+
					"write * alone, or only the values you mean", field, item, every, every)
			}
			continue
		}
		if star, _, ok := strings.Cut(item, "-"); ok && (star == "*" || star == "?") {
			as := "*"
			if _, step, ok := strings.Cut(item, "/"); ok {
				as += "/" + step
			}
			what := fmt.Sprintf("%q is", item)
			if item != field {
				what = fmt.Sprintf("%q, in %q, is", item, field)
			}
			return fmt.Sprintf("%s a range from %s, which cron reads as * and drops the rest: cron would read it as %q (%s); "+
				"write a range of numbers, as 0-5", what, star, as, every)
		}
	}
	return ""
}
