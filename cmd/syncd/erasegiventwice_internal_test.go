package main

import (
	"strings"
	"testing"
)

// TestGivenTwiceSaysWhatItDoesNotWhatItDid: erase and export refusing
// -email or -phone given twice told the operator what an older syncd did
// with it ("it used to take the last alone"), which is no help in running
// it now. The refusal says what it does and what to run.
func TestGivenTwiceSaysWhatItDoesNotWhatItDid(t *testing.T) {
	t.Parallel()
	for _, command := range []string{"erase", "export"} {
		for _, name := range []string{"email", "phone"} {
			err := givenOnce(command, &personFlag{name: name, values: []string{"a", "b"}})
			if err == nil {
				t.Fatalf("%s -%s given twice: not refused", command, name)
			}
			if msg := err.Error(); strings.Contains(msg, "used to") || !strings.Contains(msg, "once for each") {
				t.Errorf("%s -%s given twice: %s", command, name, msg)
			}
		}
	}
}
