package schedule

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// TestWhatCronMakesOfMalformedFields records what robfig/cron does with
// fields that are not well formed, which Check's words rely on: it takes
// them without a word, and reads them as something other than written.
func TestWhatCronMakesOfMalformedFields(t *testing.T) {
	from := time.Date(2026, 3, 2, 0, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		spec string
		want string // the first three runs after from, as cron reads spec
	}{
		{"0 6,* * * *", "01:00 02:00 03:00"},      // * in a list: every hour, the 6 no matter
		{"0 6, * * *", "06:00 06:00+1 06:00+2"},   // an empty item is dropped: 6 alone
		{"0 ,6,,18 * * *", "06:00 18:00 06:00+1"}, // empty items dropped: 6,18
		{"0 *-5 * * *", "01:00 02:00 03:00"},      // *-5 is *: every hour, the -5 ignored
		{"0 ?-5 * * *", "01:00 02:00 03:00"},      // ? is *: alike
		{"0 *-5/6 * * *", "06:00 12:00 18:00"},    // */6, the -5 ignored
		{"0 6 30 2 *", "never never never"},       // February 30th: never
	} {
		s, err := cron.ParseStandard(c.spec)
		if err != nil {
			t.Errorf("%q: cron refuses it now: %v", c.spec, err)
			continue
		}
		var got []string
		at := from
		for range 3 {
			at = s.Next(at)
			switch {
			case at.IsZero():
				got = append(got, "never")
			case at.Day() == from.Day():
				got = append(got, at.Format("15:04"))
			default:
				got = append(got, fmt.Sprintf("%s+%d", at.Format("15:04"), at.Day()-from.Day()))
			}
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%q: cron runs it at %v, want %s", c.spec, got, c.want)
		}
	}
}

// TestCheckRefusesWhatCronReadsOtherwise: "0 6,* * * *" passed syncd
// validate, and the report went out every hour, not at 06:00: robfig/cron
// takes * in a list, a range from *, and a list with an empty item without
// a word, and reads each as something other than written (see
// TestWhatCronMakesOfMalformedFields); and "0 6 30 2 *" passed, a report
// that never comes. Check refuses them, saying how cron would read them.
func TestCheckRefusesWhatCronReadsOtherwise(t *testing.T) {
	for _, c := range []struct {
		spec string
		want []string
	}{
		{"0 6,* * * *", []string{`the hour field (field 2 of 5`, `"6,*" lists * (every hour) with other values`,
			"cron would run it every hour", "write * alone, or only the values you mean"}},
		{"0 6, * * *", []string{`the hour field (field 2 of 5`, `"6," has a comma with no value on one side`,
			`cron would read it as "6"`}},
		{"0 ,6,,18 * * *", []string{`"6,18"`}},
		{"*/5,,30 6 * * *", []string{`the minute field (field 1 of 5`, `cron would read it as "*/5,30"`}},
		{"0 *-5 * * *", []string{`the hour field`, `"*-5" is a range from *`, `cron would read it as "*" (every hour)`, "0-5"}},
		{"0 ?-5/6 * * *", []string{`"?-5/6" is a range from ?`, `cron would read it as "*/6"`}},
		{"0 1,*-5 * * *", []string{`"*-5", in "1,*-5", is a range from *`}},
		{"0 6 * * 1,*", []string{`the day of week field (field 5 of 5`, "every day of the week"}},
		{"0 6 30 2 *", []string{"never comes", "February"}},
		{"CRON_TZ=Europe/Copenhagen 0 6,* * * *", []string{`the hour field`}},
	} {
		err := Check(c.spec)
		if err == nil {
			t.Errorf("%q: no problem", c.spec)
			continue
		}
		for _, w := range append(c.want, `"`+c.spec+`"`, Example) {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: %s\nwant %q in it", c.spec, err, w)
			}
		}
	}
	for _, ok := range []string{"0 6,18 * * *", "*/15,5 * * * *", "0 6 29 2 *", "0 6 31 * *", "0 6 30 2 1", "0 6/2 * * *", "0 6 ? * MON-FRI"} {
		if err := Check(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}
