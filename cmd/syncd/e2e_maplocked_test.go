package main_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestMappingWhileTheOutboxIsLockedSetsNoLeadAside: on PostgreSQL with a
// lock_timeout (set in the DSN, as it may be in the role), a transaction
// holding the outbox locked (a VACUUM FULL, a long maintenance
// transaction) made every lead received meanwhile unmappable for ever,
// "the database refused this lead's operations": each lead's operations
// timed out on the lock, while the write setting it aside, which touches
// no operation, went through. A lock timeout is no refusal: the leads
// stay pending while the lock is held, and reach the CRM once it is gone.
func TestMappingWhileTheOutboxIsLockedSetsNoLeadAside(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, fakeURL, true, pgStore(t, dir, dsn+"&lock_timeout=200"))
	d := start(t, config)

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE outbox IN EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	for i, who := range []string{"first", "second", "third"} {
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, refusedLead(who, fmt.Sprint(8880+i))); err != nil || a.Code != 200 {
			t.Fatalf("post %s: %+v %v", who, a, err)
		}
	}
	waitFor(t, "a mapping pass to meet the lock", func() bool {
		return strings.Contains(d.log(), `"message":"map events"`) || strings.Contains(d.log(), "lead unmappable")
	})
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the three leads in the CRM once the lock is gone", func() bool {
		s := fake.State()
		return len(s.Contacts) == 3 && len(s.Deals) == 3
	})
	for _, ev := range syncdJSON(t, "events", "list", "-json", "-config", config) {
		if ev["map_state"] != "mapped" {
			t.Errorf("event %v %v after the lock: %v", ev["id"], ev["map_state"], ev["map_error"])
		}
	}
}
