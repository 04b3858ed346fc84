package main_test

import (
	"encoding/json"
	"testing"
)

// TestDeadCauseInJSON: outbox show -json and list -json had no dead cause,
// so a script could not tell the CRM erasure syncd crm forget-links made
// dead (other_account: never sent, erased by hand, then given up) from a
// dead letter the CRM refused, which outbox retry sends again; the text
// form says it in its last error. Now both carry dead_cause, and given up
// by hand it says so.
func TestDeadCauseInJSON(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config := erasureOfAnEarlierAccount(t)
	id := deadErasure(t, config)
	cause := func(args ...string) any {
		var op map[string]any
		if err := json.Unmarshal([]byte(syncdOK(t, append(args, "-config", config)...)), &op); err != nil {
			t.Fatal(err)
		}
		return op["dead_cause"]
	}
	if got := cause("outbox", "show", "-json", id); got != "other_account" {
		t.Errorf("outbox show -json %s: dead_cause %v; want other_account", id, got)
	}
	if got := cause("outbox", "list", "-json", "-state", "dead"); got != "other_account" {
		t.Errorf("outbox list -json -state dead: dead_cause %v; want other_account", got)
	}
	syncdOK(t, "outbox", "give-up", "-config", config, id)
	if got := cause("outbox", "show", "-json", id); got != "other_account_given_up" {
		t.Errorf("outbox show -json %s given up: dead_cause %v; want other_account_given_up", id, got)
	}
}
