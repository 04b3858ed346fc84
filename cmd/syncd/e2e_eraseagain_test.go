package main_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestEraseRunAgainSaysThePersonWasErasedBefore: erase -crm with the CRM
// not answering erases syncd's data, then says to run it again when the
// CRM answers. Run again, it said "nothing found: syncd holds nothing
// under the email given (is it written as the person gave it? ...)", as
// of an address mistyped, casting doubt on the first erase. It now says
// the erasure at its time removed it; an address syncd never held is still
// asked about.
func TestEraseRunAgainSaysThePersonWasErasedBefore(t *testing.T) {
	t.Parallel()
	_, config := storedAngela(t)
	first := syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")
	at := regexp.MustCompile(`audit: subject [0-9a-f]+ at (.+)\n`).FindStringSubmatch(first)
	if at == nil || strings.Contains(first, "nothing found") {
		t.Fatalf("the first erase:\n%s", first)
	}
	again := syncdOK(t, "erase", "-config", config, "-email", "Angela7913@hotmail.com")
	mustContain(t, "erase run again", again, "nothing found: syncd holds nothing under the email given any longer: "+
		"the erasure of it at "+at[1]+" removed it (syncd export shows what each erasure removed); this one is recorded all the same")
	if strings.Contains(again, "is it written as the person gave it?") {
		t.Errorf("erase run again asks whether the address is right:\n%s", again)
	}
	never := syncdOK(t, "erase", "-config", config, "-email", "someone.else@example.com")
	mustContain(t, "erase of an address never held", never, "nothing found: syncd holds nothing under the email given (is it written as the person gave it?")
}
