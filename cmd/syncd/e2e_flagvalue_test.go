package main_test

import (
	"strings"
	"testing"
)

// TestAFlagValueOfTheWrongKindSaysWhatItTakes: a duration given without
// its unit (reload -wait 5) or a count not in digits (-limit ten, -pid
// abc) is refused, exit 2, naming the flag, the value and how to write
// one. It said the flag package's `invalid value "5" for flag -wait:
// parse error`, which said neither.
func TestAFlagValueOfTheWrongKindSaysWhatItTakes(t *testing.T) {
	t.Parallel()
	config := writeConfig(t, t.TempDir())
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"reload", "-wait", "5"}, `syncd reload: -wait "5" is not a duration: give one with its unit, such as 90s, 5m or 1h30m`},
		{[]string{"reload", "-pid", "abc"}, `syncd reload: -pid "abc" is not a whole number: give it in digits`},
		{[]string{"events", "list", "-limit", "ten"}, `syncd events list: -limit "ten" is not a whole number: give it in digits`},
		{[]string{"outbox", "list", "-limit=ten"}, `syncd outbox list: -limit "ten" is not a whole number: give it in digits`},
		{[]string{"reload", "-pid", "99999999999999999999"}, `syncd reload: -pid "99999999999999999999" is out of range`},
	} {
		_, stderr, code := syncdRun(t, append(c.args, "-config", config)...)
		if code != 2 || !strings.HasPrefix(stderr, c.want) || strings.Contains(stderr, "parse error") {
			t.Errorf("%s: exit %d, want 2 and %q:\n%s", strings.Join(c.args, " "), code, c.want, stderr)
		}
	}
	// A value the flag reads itself keeps its own words.
	_, stderr, code := syncdRun(t, "erase", "-event", "abc", "-config", config)
	if code != 2 || !strings.Contains(stderr, `"abc" is not an event id (syncd export -name and syncd events list show them)`) {
		t.Errorf("erase -event abc: exit %d:\n%s", code, stderr)
	}
}
