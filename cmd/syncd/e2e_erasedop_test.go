package main_test

import (
	"strings"
	"syscall"
	"testing"
)

// TestOutboxOfAnErasedPersonsOperationSaysWhyItIsGone: an operator who
// erased a person (syncd erase) and then ran `syncd outbox retry`, `show`
// or `give-up` on that person's operation id, read from an earlier outbox
// list, saw `no dead outbox op 1` or `no outbox op 1` alone, as for an id
// mistyped. It says no operation by that id is held, what removes them
// (syncd erase among them) and where to see those held; exit 3 still.
func TestOutboxOfAnErasedPersonsOperationSaysWhyItIsGone(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, d := leadQueuedForNoCRM(t)
	if err := d.stop(t, syscall.SIGTERM); err != nil { // no delivery under way to wait for
		t.Fatal(err)
	}
	syncdOK(t, "erase", "-config", config, "-email", "support@estateagentfeeds.com")
	for _, args := range [][]string{{"retry", "1"}, {"show", "1"}, {"give-up", "1"}} {
		_, stderr, code := syncdRun(t, append([]string{"outbox"}, append(args, "-config", config)...)...)
		if code != 3 || !strings.Contains(stderr, "no operation by that id is held: syncd erase removes a person's operations") ||
			!strings.Contains(stderr, "syncd outbox list shows those held") {
			t.Errorf("outbox %s of an erased person's operation: exit %d\n%s", strings.Join(args, " "), code, stderr)
		}
	}
}
