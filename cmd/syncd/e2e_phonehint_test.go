package main_test

import (
	"strings"
	"testing"
)

// TestUnreadPhoneSaysHowToGiveIt: erase and export -phone with a number
// read in none of the sources' countries said "-phone: not a phone number
// in any configured source's country", naming neither the number read nor
// those countries, nor what to give. It says them, and to give the
// number with its country code.
func TestUnreadPhoneSaysHowToGiveIt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	for _, cmd := range []string{"erase", "export"} {
		out, stderr, code := syncdRun(t, cmd, "-config", config, "-phone", "20 12")
		if code != 2 || out != "" || !strings.Contains(stderr, `syncd `+cmd+`: -phone "20 12": not a phone number in the sources' countries (default_country: `) ||
			!strings.Contains(stderr, "give it with its country code, such as +4520123456") {
			t.Errorf("%s -phone of no number: exit %d\n%s%s", cmd, code, out, stderr)
		}
	}
}
