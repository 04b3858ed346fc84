package main

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/metrics"
)

// TestDeadLineNamesEarlierAccountsErasuresApart: the dead letters line
// counts the CRM erasures of an earlier account among those that need
// attention, named apart with what to do, beside the others and those
// given up by hand.
func TestDeadLineNamesEarlierAccountsErasuresApart(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		d    metrics.OutboxDepth
		want []string
	}{
		{metrics.OutboxDepth{Target: "hubspot", Dead: 3, OtherAccount: 1}, []string{"3  NEEDS ATTENTION: 2 operations the CRM sync gave up on, and 1 CRM erasure of the account syncd wrote to before syncd crm forget-links", "then syncd outbox give-up ID"}},
		{metrics.OutboxDepth{Target: "hubspot", Dead: 2, GivenUp: 1, OtherAccount: 1}, []string{"1  NEEDS ATTENTION: CRM erasure of the account", "; 1 given up by hand"}},
		{metrics.OutboxDepth{Target: "hubspot", Dead: 2}, []string{"2  NEEDS ATTENTION: operations the CRM sync gave up on"}},
		{metrics.OutboxDepth{Target: "hubspot", Dead: 3, GivenUp: 3, OtherAccountGivenUp: 1},
			[]string{"0; 3 given up by hand", "1 of them a CRM erasure of the account", "nothing left to do; syncd outbox retry ID sends one of the others again"}},
	} {
		got := deadLine(Snapshot{OutboxKnown: true, Outbox: []metrics.OutboxDepth{c.d}})
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("deadLine(%+v) = %q; want %q in it", c.d, got, w)
			}
		}
	}
}

// TestDeadLineWayOutOfAnEarlierAccountsErasureOfACRMGone: of the CRM
// erasures of an earlier account, those of a CRM crm.kind no longer names
// are taken by outbox drop -erasures (give-up refuses them), the others
// by outbox give-up (TestStatusAdvisesDropForAnEarlierAccountsErasureOfACRMGone).
func TestDeadLineWayOutOfAnEarlierAccountsErasureOfACRMGone(t *testing.T) {
	t.Parallel()
	s := Snapshot{OutboxKnown: true, Adapters: []AdapterStatus{{Name: "hubspot"}}, Outbox: []metrics.OutboxDepth{
		{Target: "hubspot", Dead: 1, OtherAccount: 1}, {Target: "pipedrive", Dead: 2, OtherAccount: 2}}}
	want := "then syncd outbox give-up ID (those of a CRM crm.kind no longer names: syncd outbox drop -crm pipedrive -erasures)"
	if got := deadLine(s); !strings.Contains(got, want) {
		t.Errorf("deadLine = %q; want %q in it", got, want)
	}
}
