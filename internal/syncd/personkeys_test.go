package syncd

import (
	"strings"
	"testing"
)

// TestSealedKeysTellThePersonsValuesWithoutHoldingThem: what an erase
// operation keeps of the person's emails and phones tells theirs, however
// a CRM record writes them, from anyone else's, and holds none in clear;
// each erasure has its own salt.
func TestSealedKeysTellThePersonsValuesWithoutHoldingThem(t *testing.T) {
	p := PersonKeys{Emails: []string{"jane@x.dk"}, Phones: []string{"20123456", "4520123456"}}
	s := p.Seal()
	if strings.Contains(s, "jane") || strings.Contains(s, "20123456") || s == p.Seal() {
		t.Fatalf("sealed %q: a value in clear, or the same salt twice", s)
	}
	k, ok := UnsealKeys(s)
	if !ok {
		t.Fatalf("UnsealKeys(%q): not read", s)
	}
	for _, check := range []PersonCheck{p, k} {
		for v, want := range map[string]bool{" Jane@X.dk": true, "bob@x.dk": false} {
			if check.HasEmail(v) != want {
				t.Errorf("%T.HasEmail(%q) = %v", check, v, !want)
			}
		}
		for v, want := range map[string]bool{"+45 20 12 34 56": true, "20-12-34-56": true, "+45 31 98 76 54": false, "": false} {
			if check.HasPhone(v) != want {
				t.Errorf("%T.HasPhone(%q) = %v", check, v, !want)
			}
		}
	}
	if (PersonKeys{}).Seal() != "" {
		t.Error("nothing known sealed as something")
	}
	if _, ok := UnsealKeys(""); ok {
		t.Error(`UnsealKeys("") read`)
	}
}
