package sender

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestChangedWhatIsTheReasonWithoutItsAdvice: a listing of a changed
// delivery that waits no more shows what it was without the advice to
// repair it, which cmd/syncd cut from the stored reason at a phrase of its
// own choosing ("; event "): a change of ChangedReason's words would have
// shown the advice again, unnoticed. The cut is made here, by the phrase
// ChangedReason writes.
func TestChangedWhatIsTheReasonWithoutItsAdvice(t *testing.T) {
	what, ok := ChangedWhat(ChangedReason(syncd.KindEAF, 42))
	if want := "changed: sent again with the eaf_id of event 42 and another body"; !ok || what != want {
		t.Errorf("ChangedWhat = %q, %v; want %q", what, ok, want)
	}
	for _, r := range []string{ReplacedReason(syncd.KindEAF, 42), "invalid JSON: unexpected end", ""} {
		if what, ok := ChangedWhat(r); ok {
			t.Errorf("ChangedWhat(%q) = %q, true; want false: no changed delivery's", r, what)
		}
	}
}
