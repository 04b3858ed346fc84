package main_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// leasedBehind sets up a database server whose clock runs pgtest.Skew (10
// minutes) behind this host's, with one contact operation leased for 5
// minutes on the server's clock by an instance that measured it with its
// heartbeat, as the sync leader does, and is still sending it. It returns
// the configuration of a host whose clock is right, with the stand-in CRM
// the operation would go to.
func leasedBehind(t *testing.T) (config string, fake *crmfake.Server) {
	t.Helper()
	dsn := pgtest.SkewedDSN(t)
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{})
	config = writeCRMConfigOnPort(t, dir, url, true, pgStore(t, dir, dsn))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	go db.Heartbeat(ctx, "127.0.0.1:1", "1.0.0", func() string { return "" })
	waitFor(t, "the leader's heartbeat", func() bool { in, _ := db.Instances(ctx, time.Minute); return len(in) == 1 })
	in := db.NewIntake(postgres.IntakeOptions{})
	go in.Run(ctx)
	rec, err := in.Store(ctx, syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Key: "k", Body: []byte("{}"), Parse: syncd.ParseStrict})
	if err != nil {
		t.Fatal(err)
	}
	ops := []syncd.Op{{Target: "hubspot", Kind: syncd.RecordContact, Key: "jane@example.com", MappingFile: "eaf.yaml", MappingHash: "h",
		Properties: map[string]string{"email": "jane@example.com"}}}
	if _, err := db.RecordMapping(ctx, rec.ID, syncd.MapMapped, "", ops); err != nil {
		t.Fatal(err)
	}
	if held, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, 5*time.Minute); err != nil || len(held) != 1 {
		t.Fatalf("the leader claims %d operations, %v; want the one", len(held), err)
	}
	return config, fake
}

// TestSyncByHandOnAServerBehindSendsNoLeasedOperation: `syncd sync` run by
// hand while no instance leads (the leader cut off from the database, its
// call to the CRM still under way) compared the operations' leases, set on
// the database server's clock, with its own host's: with the server 10
// minutes behind, a lease of 5 minutes had run out by the host's clock,
// and sync sent the operation the leader was still sending. Every process
// now measures the server's clock as it opens the database, not only
// an instance with its heartbeat.
func TestSyncByHandOnAServerBehindSendsNoLeasedOperation(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, fake := leasedBehind(t)
	out, stderr, code := syncdRun(t, "sync", "-config", config)
	if code != 6 || !strings.Contains(out, "0 claimed") || !strings.Contains(out, "1 pending operation held by a lease until ") {
		t.Errorf("sync beside a lease on the server's clock: exit %d, want 6 and the lease said\n%s%s", code, out, stderr)
	}
	if s := fake.State(); len(s.Contacts) != 0 {
		t.Errorf("the CRM holds %d contacts: the leader's operation was sent again", len(s.Contacts))
	}
}

// TestOutboxSaysALeaseOnTheServersClock: `syncd outbox list` and `show`
// judged whether a lease held an operation by the host's clock, while
// PostgreSQL's leases are set on the database server's: with the server
// 10 minutes behind, the operation the leader was sending was shown as
// due 5 minutes ago, with nothing to say why it did not go. The store
// gives a lease's end on this host's clock, as it gives heartbeats: list
// and show say the lease holds, until when by the host's clock.
func TestOutboxSaysALeaseOnTheServersClock(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, _ := leasedBehind(t)
	if out, _, code := syncdRun(t, "outbox", "list", "-config", config, "-json"); code != 0 || !leaseAhead(t, out) {
		t.Errorf("outbox list -json of an operation a lease holds on the server's clock: exit %d, want its lease_until ahead on this host's clock\n%s", code, out)
	}
	if out, _, code := syncdRun(t, "outbox", "list", "-config", config); code != 0 || !strings.Contains(out, "being sent, lease until ") {
		t.Errorf("outbox list of an operation a lease holds on the server's clock: exit %d\n%s", code, out)
	}
	if out, _, code := syncdRun(t, "outbox", "show", "1", "-config", config); code != 0 ||
		!strings.Contains(out, "once the lease below ends") {
		t.Errorf("outbox show of an operation a lease holds on the server's clock: exit %d\n%s", code, out)
	}
}

// TestStatusSaysALeaseOnTheServersClock: syncd status said how many
// pending operations a lease holds only while the lease's end was after
// the status's time on this host's clock, while PostgreSQL's leases end
// on the database server's: with the server 10 minutes behind, the
// operation the leader was sending went unsaid. It says so, with the
// lease's end on this host's clock.
func TestStatusSaysALeaseOnTheServersClock(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, _ := leasedBehind(t)
	out, _, _ := syncdRun(t, "status", "-config", config)
	if !strings.Contains(out, "1 of them held by a lease until ") {
		t.Errorf("status with an operation a lease holds on the server's clock: the lease not said\n%s", out)
	}
}

// leaseAhead reports whether the one operation outbox list -json printed
// has a lease that ends on this host's clock within the 5 minutes it was
// taken for.
func leaseAhead(t *testing.T, out string) bool {
	t.Helper()
	var op struct {
		LeaseUntil time.Time `json:"lease_until"`
	}
	if err := json.Unmarshal([]byte(out), &op); err != nil {
		t.Errorf("outbox list -json: %v", err)
		return false
	}
	left := time.Until(op.LeaseUntil)
	return left > 0 && left <= 5*time.Minute
}
