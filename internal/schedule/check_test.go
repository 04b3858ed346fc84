package schedule

import (
	"strings"
	"testing"
)

// TestCheckNamesTheField: a schedule that is not one is said in an
// operator's words, naming the field that is wrong and what it takes, with
// an example, not in robfig/cron's ("end of range (60) above maximum (59):
// 60", "expected exactly 5 fields, found 6").
func TestCheckNamesTheField(t *testing.T) {
	for _, c := range []struct {
		spec string
		want []string
	}{
		{"60 6 * * *", []string{`the minute field (field 1 of 5`, `"60", is not a minute: write 0-59`}},
		{"0 25 * * *", []string{`the hour field (field 2 of 5`, `"25", is not an hour: write 0-23`}},
		{"0 6 32 * *", []string{`the day of month field (field 3 of 5`, "write 1-31"}},
		{"0 6 * 13 *", []string{`the month field (field 4 of 5`, "write 1-12 or JAN-DEC"}},
		{"0 6 * * 1-7", []string{`the day of week field (field 5 of 5`, "Sunday is 0, not 7"}},
		{"0 6 * * Mo", []string{`the day of week field`, `"Mo"`, "SUN-SAT"}},
		{"*/0 6 * * *", []string{`the minute field`, `"*/0"`}},
		{"0 0 6 * * *", []string{"has 6 fields, where a schedule has 5", "seconds", "leave it out"}},
		{"0 6", []string{"has 2 fields, where a schedule has 5: minute, hour, day of month, month, day of week"}},
		{"every minute", []string{"has 2 fields", "write @every and a duration: @every 1m"}},
		{"daily", []string{"did you mean @daily?"}},
		{"@dayly", []string{"@dayly is not one of the @ words (@every DURATION, @yearly", "did you mean @daily?"}},
		{"@often", []string{"@often is not one of the @ words", "or write five fields"}},
		{"@every 1 minute", []string{`"1 minute" is no duration: @every takes one such as 90s`}},
		{"CRON_TZ=Europe/Copenhagn 0 6 * * *", []string{"CRON_TZ=Europe/Copenhagn names no time zone"}},
		{"CRON_TZ=Europe/Copenhagen 0 6 * 13 *", []string{"the month field"}},
	} {
		err := Check(c.spec)
		if err == nil {
			t.Errorf("%q: no problem", c.spec)
			continue
		}
		msg := err.Error()
		for _, w := range append(c.want, `"`+c.spec+`"`) {
			if !strings.Contains(msg, w) {
				t.Errorf("%q: %s\nwant %q in it", c.spec, msg, w)
			}
		}
		if !strings.HasPrefix(c.spec, "@") && !strings.Contains(msg, Example) {
			t.Errorf("%q: %s\nwant the example in it", c.spec, msg)
		}
		for _, lib := range []string{"above maximum", "expected exactly", "failed to parse", "unrecognized descriptor"} {
			if strings.Contains(msg, lib) {
				t.Errorf("%q: the library's words: %s", c.spec, msg)
			}
		}
	}
	for _, ok := range []string{"0 6 * * *", "6 0 * * *", "@daily", "@every 1m", "*/5 * * * 1-5", "CRON_TZ=Europe/London 0 6 * * *"} {
		if err := Check(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}
