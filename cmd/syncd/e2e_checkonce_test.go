package main_test

import (
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestMovedAccountCheckFailsOnceAtStart: the daemon starts on the token of
// another account than the one its CRM ids were made in (the agency moved,
// before `syncd crm forget-links`); its account check at start fails,
// and a lead comes in. The lead's write, refused by syncd's own account
// pin (the adapter pauses, nothing reaches the CRM), ran the check again
// at once, as a call that went through does after a check the CRM was
// down for: "crm check failed" twice in the same second, the same
// findings. A write the pin refused is no call that went through: the
// line comes once.
func TestMovedAccountCheckFailsOnceAtStart(t *testing.T) {
	t.Parallel()
	m := leadInTheOldPortal(t)
	os.WriteFile(m.config, []byte(crmConfig(m.dir, m.newURL, e2eLBToken)), 0o600) // the new account's token
	d := start(t, m.config)
	// The check at start has read the account by the time it says it moved.
	waitFor(t, "the account change in the log", func() bool { return strings.Contains(d.log(), "crm account changed") })
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "the adapter paused", func() bool { return strings.Contains(d.log(), "crm adapter paused") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(d.log(), `"crm check failed`); n != 1 {
		t.Errorf("\"crm check failed\" logged %d times; want once:\n%s", n, d.log())
	}
}
