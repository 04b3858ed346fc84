package main_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestRetryOneOfAContactsUpdatesRetriesThoseThatDiedWithIt: a broker's
// three leads wait while the adapter is paused, and once resumed their
// contact's three updates go as one write, which the CRM refuses: they
// die together. Retrying the oldest of them (one of those `outbox list
// -state dead` shows) revived it alone, and the CRM got the broker with
// the first lead's phone while the two later updates stayed dead, and
// nothing said so. The retry now revives the updates that died with it,
// says which, and the CRM ends with the last lead's phone, no update of
// the broker left dead.
func TestRetryOneOfAContactsUpdatesRetriesThoseThatDiedWithIt(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	p, phone := brokersUpdatesDead(t)
	ids := brokersDead(t, p.config) // newest first, as list shows them
	// outbox show of the one retried below names the others first.
	shown, stderr, code := syncdRun(t, "outbox", "show", "-config", p.config, ids[2])
	said := fmt.Sprintf("dead, with operations %s, %s of the same contact, one write with it: syncd outbox retry %s sends them all again, syncd outbox give-up %[3]s gives them all up",
		ids[1], ids[0], ids[2])
	if code != 0 || shownState(shown) != said || saidTwice(shown) {
		t.Errorf("outbox show of the broker's oldest update: exit %d\n%s%s\nwant once, in its state, %q", code, shown, stderr, said)
	}
	out, stderr, code := syncdRun(t, "outbox", "retry", "-config", p.config, ids[2])
	want := fmt.Sprintf("operation %s pending again, with operations %s, %s of the same contact, which failed with it", ids[2], ids[1], ids[0])
	if code != 0 || !strings.HasPrefix(out, want) {
		t.Fatalf("retry the broker's oldest update: exit %d\n%s%s\nwant it to start %q", code, out, stderr, want)
	}
	syncedWithLastPhone(t, p, phone)
	if left := brokersDead(t, p.config); len(left) != 0 {
		t.Errorf("the broker's updates still dead after the retry: %v", left)
	}
}

// TestRetrySeveralIDsTakesThoseRevivedAlready: the operator copies the
// broker's three dead updates from `outbox list -state dead` into one
// retry, with an id that is not held. retry took one id only (exit 2 for
// several, as give-up takes them), and retried one by one the second and
// third were "pending, not dead", exit 3, once the first had revived them
// with it. Each id is now taken on its own: those the first revived are
// said revived with it, the id not held says so (exit 3, the status of
// the last one refused), and the CRM ends with the last lead's phone.
func TestRetrySeveralIDsTakesThoseRevivedAlready(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	p, phone := brokersUpdatesDead(t)
	ids := brokersDead(t, p.config) // newest first, as list shows them
	out, stderr, code := syncdRun(t, "outbox", "retry", "-config", p.config, ids[0], ids[1], ids[2], "999999")
	for _, want := range []string{
		fmt.Sprintf("operation %s pending again, with operations %s, %s of the same contact, which failed with it", ids[0], ids[2], ids[1]),
		fmt.Sprintf("operation %s pending again with operation %s, above\n", ids[1], ids[0]),
		fmt.Sprintf("operation %s pending again with operation %s, above\n", ids[2], ids[0]),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("retry of the broker's three dead updates and one not held: stdout\n%s\nwant it to say %q", out, want)
		}
	}
	if code != 3 || !strings.Contains(stderr, "999999") || strings.Contains(stderr, "not dead") {
		t.Errorf("retry with an id not held among the broker's: exit %d, stderr\n%s\nwant exit 3 for 999999 alone", code, stderr)
	}
	syncedWithLastPhone(t, p, phone)
	if left := brokersDead(t, p.config); len(left) != 0 {
		t.Errorf("the broker's updates still dead after the retry: %v", left)
	}
}

// TestGiveUpOneOfAContactsUpdatesGivesUpThoseThatDiedWithIt: the broker's
// three updates died together, as one write; the operator enters the
// broker in the CRM by hand and gives up the update they look at. Given
// up alone, the other two stayed dead letters, an alarm, and a retry of
// one of them sent it without the one given up. The give-up now takes
// the updates that died with it, and says so, and a retry of any of them
// brings the three back as one write.
func TestGiveUpOneOfAContactsUpdatesGivesUpThoseThatDiedWithIt(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	p, phone := brokersUpdatesDead(t)
	ids := brokersDead(t, p.config) // newest first
	out, stderr, code := syncdRun(t, "outbox", "give-up", "-config", p.config, ids[1])
	want := fmt.Sprintf("given up with it: operations %s, %s of the same contact, which failed with it (one write) and its deal operations ",
		ids[2], ids[0])
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("give up the broker's middle update: exit %d\n%s%s\nwant it to say %q", code, out, stderr, want)
	}
	for _, op := range syncdJSON(t, "outbox", "list", "-state", "dead", "-limit", "0", "-json", "-config", p.config) {
		if op["key"] == "broker@agency.dk" && op["dead_cause"] != "given_up" {
			t.Errorf("the broker's operation %v after the give-up: dead, cause %q; want given up", op["id"], op["dead_cause"])
		}
	}
	shown, stderr, code := syncdRun(t, "outbox", "show", "-config", p.config, ids[0])
	said := fmt.Sprintf("given up by hand (dead, no alarm), with operations %s, %s of the same contact, one write with it: syncd outbox retry %s sends them all again",
		ids[2], ids[1], ids[0])
	if code != 0 || shownState(shown) != said || saidTwice(shown) {
		t.Errorf("outbox show of the broker's newest update, given up: exit %d\n%s%s\nwant once, in its state, %q", code, shown, stderr, said)
	}
	out, stderr, code = syncdRun(t, "outbox", "retry", "-config", p.config, ids[0])
	want = fmt.Sprintf("operation %s pending again, with operations %s, %s of the same contact, which failed with it", ids[0], ids[2], ids[1])
	if code != 0 || !strings.HasPrefix(out, want) {
		t.Fatalf("retry the broker's newest update: exit %d\n%s%s\nwant it to start %q", code, out, stderr, want)
	}
	syncedWithLastPhone(t, p, phone)
}

// saidTwice reports whether outbox show's text says what a retry does more
// than once: it said "syncd outbox retry N sends it again" in the state of
// an update given up with others, then in a line of its own that the retry
// sends them all (a dead one's line repeated who died with it after the
// state).
func saidTwice(shown string) bool {
	return strings.Count(shown, "syncd outbox retry") > 1 || strings.Contains(shown, "\ndied with ") ||
		strings.Contains(shown, "\ngiven up with ")
}

// shownState is the state row of outbox show's text.
func shownState(shown string) string {
	for _, line := range strings.Split(shown, "\n") {
		if v, ok := strings.CutPrefix(line, "state:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// brokersUpdatesDead runs a daemon paused on its token, posts a lead and
// then a broker's three (one email, three phones), resumes with `syncd
// sync -resume` against a stand-in HubSpot that refuses every contact, so
// that the broker's three updates, sent as one write, die together, and
// lets the stand-in take contacts again. It returns the set-up and the
// last lead's phone, the one the broker should have in the CRM.
func brokersUpdatesDead(t *testing.T) (*pausedOnToken, string) {
	t.Helper()
	p := startPausedOnToken(t) // one lead of its own, then paused on the token
	const leads = 3
	postBrokersLeads(t, p, leads)
	p.fixToken(t)
	p.fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert",
		Action: crmfake.ActError, Status: 400,
		Body: `{"status":"error","message":"Property values were not valid","category":"VALIDATION_ERROR"}`})
	if out, stderr, _ := syncdRun(t, "sync", "-resume", "-config", p.config); len(brokersDead(t, p.config)) != leads {
		t.Fatalf("sync -resume with the CRM refusing contacts: the broker's dead updates %v; want all %d\n%s%s",
			brokersDead(t, p.config), leads, out, stderr)
	}
	p.fake.ClearFaults()
	return p, brokerPhone(leads - 1)
}

// brokersDead lists the ids of the broker's dead contact operations,
// newest first.
func brokersDead(t *testing.T, config string) []string {
	t.Helper()
	var ids []string
	for _, op := range syncdJSON(t, "outbox", "list", "-state", "dead", "-limit", "0", "-json", "-config", config) {
		if op["kind"] == "contact" && op["key"] == "broker@agency.dk" {
			ids = append(ids, fmt.Sprint(op["id"]))
		}
	}
	return ids
}

// syncedWithLastPhone runs syncd sync after a retry of the broker's updates
// and checks the CRM holds the broker once, with the last lead's phone.
func syncedWithLastPhone(t *testing.T, p *pausedOnToken, phone string) {
	t.Helper()
	if out, stderr, code := syncdRun(t, "sync", "-config", p.config); code != 0 {
		t.Fatalf("sync after the retry: exit %d\n%s%s", code, out, stderr)
	}
	if rs := p.fake.State().ContactsByEmail["broker@agency.dk"]; len(rs) != 1 || rs[0].Properties["phone"] != phone {
		t.Errorf("the broker in the CRM: %+v; want one contact with the last lead's phone %s", rs, phone)
	}
}
