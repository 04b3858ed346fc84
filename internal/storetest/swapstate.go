package storetest

import "testing"

// testSwapState: a state row is written by SwapStateValue only over the
// value the writer read (an unset row holds ""): two instances that read
// it alike and both write, the second's write is refused, not laid over
// the first's (the syncer's operations set aside, merged on refusal).
func testSwapState(t *testing.T, e *env) {
	a, b := e.Store, e.instance().Store
	const name = "syncer_aside:hubspot"
	swap := func(s Store, old, value string, want bool) {
		t.Helper()
		if ok, err := s.SwapStateValue(e.ctx, name, old, value); err != nil || ok != want {
			t.Fatalf("swap %q for %q = %v, %v; want %v", old, value, ok, err, want)
		}
	}
	swap(a, "x", "a", false) // unset: holds "", not "x"
	if _, set, err := a.StateValue(e.ctx, name); err != nil || set {
		t.Fatalf("a refused swap set the row: %v, %v", set, err)
	}
	swap(b, "", "b", true)  // both read it unset; b writes first
	swap(a, "", "a", false) // a's write would go over b's
	swap(a, "b", "a", true) // once a has read b's
	if v, _, err := b.StateValue(e.ctx, name); err != nil || v != "a" {
		t.Fatalf("value = %q, %v; want a", v, err)
	}
	if err := b.SetStateValue(e.ctx, name, ""); err != nil {
		t.Fatal(err)
	}
	swap(a, "a", "c", false)
	swap(a, "", "c", true) // set to "", as unset
	if v, _, err := b.StateValue(e.ctx, name); err != nil || v != "c" {
		t.Fatalf("value = %q, %v; want c", v, err)
	}
}
