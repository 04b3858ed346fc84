package main_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestValidateSaysWhenTheNextReportIsMade: `syncd validate` said nothing
// of when the daily report comes, so an operator who wrote "6 0 * * *"
// meaning 06:00 learnt only from a report at 00:06. Its ok output now
// names the next report's time in report.time_zone and its day, and says
// that a schedule like this one gives the minute first; exit 0 as before,
// and nothing on stderr.
func TestValidateSaysWhenTheNextReportIsMade(t *testing.T) {
	t.Parallel()
	for spec, want := range map[string]string{
		"0 6 * * *": `(?m)^next report: [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4} 06:00 Europe/Copenhagen \(the \d{1,2} [A-Z][a-z]{2}( \d{4})? report\)$`,
		"6 0 * * *": `(?m)^next report: [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4} 00:06 Europe/Copenhagen \(the \d{1,2} [A-Z][a-z]{2}( \d{4})? report; ` +
			`"6 0 \* \* \*" is 00:06: a schedule gives the minute first, then the hour: for 06:00 write "0 6 \* \* \*"\)$`,
	} {
		config := writeConfigWith(t, t.TempDir(), "report:\n  time_zone: Europe/Copenhagen\n  schedule: \""+spec+"\"\n")
		out, stderr, code := syncdRun(t, "validate", "-offline", "-config", config)
		if code != 0 || stderr != "" || !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("schedule %q: exit %d, stderr %q\n%s\nwant a line matching %s", spec, code, stderr, out, want)
		}
		if !strings.HasPrefix(out, config+": ok (") {
			t.Errorf("schedule %q: the ok line is no longer first:\n%s", spec, out)
		}
	}
}
