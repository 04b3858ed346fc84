package main_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestMovedAccountErasesNoStranger: an agency's person is erased with
// -crm while its CRM is down (the erasure waits in the outbox, with the
// CRM ids of its account), then the agency moves to another account of the
// CRM and syncd runs on the new token before `syncd crm forget-links`. The
// waiting erasure went out with the old account's ids and deleted whoever
// holds them in the new one: a stranger. Now syncd writes only into the
// account its CRM ids were made in, whatever token it holds, until
// forget-links records another: sync sends nothing and says why.
func TestMovedAccountErasesNoStranger(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	erasedOnTheNewToken(t, leadInTheOldPortal(t))
}

// TestMovedAccountErasesNoStrangerAfterASlowCheck: as
// TestMovedAccountErasesNoStranger, but the daemon's account check at
// start is slow (its first call, the token's scopes, takes 10 s), and the
// daemon sends the lead and stops before the check has read the account.
// The account was recorded only by that check, so none was: the erasure
// went out on the new token and erased the stranger (seen once under load
// in TestMovedAccountErasesNoStranger). Now the account is recorded
// before the first write into it.
func TestMovedAccountErasesNoStrangerAfterASlowCheck(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	erasedOnTheNewToken(t, leadInTheOldPortalPast(t, &crmfake.Fault{Name: "the check's first call slow", Method: "POST",
		Path: "/oauth/v2/private-apps/get/access-token-info", Uses: 1, Action: crmfake.ActSlow, Delay: 10 * time.Second}))
}

// erasedOnTheNewToken erases m's person with -crm while the old portal is
// down, puts the new portal's token in and runs syncd sync: it must erase
// no one there and say why.
func erasedOnTheNewToken(t *testing.T, m movedAgency) {
	t.Helper()
	newFake, config := m.newFake, m.config
	m.oldFake.Close() // the CRM down: the erasure waits
	const email = "support@estateagentfeeds.com"
	out, stderr, code := syncdRun(t, "erase", "-config", config, "-email", email, "-crm")
	t.Logf("erase -crm with the CRM down: exit %d\n%s%s", code, out, stderr)

	stranger := newFake.AddContact(crmfake.Record{Email: "someone.else@example.com"})
	os.WriteFile(config, []byte(crmConfig(m.dir, m.newURL, e2eLBToken)), 0o600) // the new account's token
	out, stderr, code = syncdRun(t, "sync", "-config", config)
	t.Logf("sync on the new token before forget-links: exit %d\n%s%s", code, out, stderr)
	if len(newFake.State().Contacts) != 1 {
		t.Fatalf("the new account's contact %s (a stranger, with the id syncd held) was erased by the old account's erasure", stranger)
	}
	if code != 5 || !strings.Contains(out+stderr, "syncd crm forget-links") {
		t.Errorf("sync on another account than the CRM ids': exit %d, want 5 and the way out\n%s%s", code, out, stderr)
	}
}
