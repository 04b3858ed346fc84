package main_test

import (
	"strings"
	"testing"
)

// TestAnIDThatIsNoNumberSaysWhereTheIDsAre: an id given as no number (the
// "#3" or "q1" an operator copies, a name pasted where the id goes) is
// refused, exit 2, naming what was given, that an id is a number and the
// command that lists the ids of that kind. It said `"abc" is not an id`
// alone, leaving the operator to find where ids are shown.
func TestAnIDThatIsNoNumberSaysWhereTheIDsAre(t *testing.T) {
	t.Parallel()
	config := writeConfig(t, t.TempDir())
	for _, c := range []struct {
		args   []string
		lister string
	}{
		{[]string{"events", "show", "#3"}, "syncd events list"},
		{[]string{"events", "show", "-quarantined", "#3"}, "syncd events list -quarantined"},
		{[]string{"events", "repair", "#3"}, "syncd events list -quarantined"},
		{[]string{"events", "dismiss", "#3"}, "syncd events list -quarantined"},
		{[]string{"events", "done", "#3"}, "syncd events list"},
		{[]string{"outbox", "show", "#3"}, "syncd outbox list"},
		{[]string{"outbox", "retry", "#3"}, "syncd outbox list -state dead"},
		{[]string{"outbox", "give-up", "#3"}, "syncd outbox list"},
	} {
		_, stderr, code := syncdRun(t, append(c.args, "-config", config)...)
		cmd := "syncd " + c.args[0] + " " + c.args[1] + ": "
		if code != 2 || !strings.HasPrefix(stderr, cmd+`"#3" is not an id: an id is a number`) ||
			!strings.Contains(stderr, c.lister+" ") {
			t.Errorf("%s: exit %d, want 2 naming %q, that an id is a number, and %s:\n%s",
				strings.Join(c.args, " "), code, "#3", c.lister, stderr)
		}
	}
}
