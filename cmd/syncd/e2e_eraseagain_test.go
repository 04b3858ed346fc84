package main_test

import (
	"path/filepath"
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

// TestEraseRunAgainNamesTheBackupsStillHoldingThePerson: erase names the
// backups syncd backup made that still hold the person. Run again (as it
// says to when the CRM did not answer), it found nothing in the database
// and named no backup, though the one taken before the first erase still
// held the person and syncd export named it: the output the operator kept
// of the last run said nothing of it. It names it again now, from the
// erasure log, and not a backup taken after the first erase.
func TestEraseRunAgainNamesTheBackupsStillHoldingThePerson(t *testing.T) {
	t.Parallel()
	dir, config := storedAngela(t)
	before, after := filepath.Join(dir, "before.db"), filepath.Join(dir, "after.db")
	syncdOK(t, "backup", "-config", config, "-out", before)
	if out := syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmail.com"); !strings.Contains(out, "backup: "+before+" taken at") {
		t.Fatalf("the first erase does not name the backup holding the person: the test proves nothing:\n%s", out)
	}
	syncdOK(t, "backup", "-config", config, "-out", after)
	again := syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")
	mustContain(t, "erase run again", again, "backup: "+before+" taken at")
	if strings.Contains(again, after) {
		t.Errorf("erase run again names the backup taken after the first erase, which does not hold the person:\n%s", again)
	}
}
