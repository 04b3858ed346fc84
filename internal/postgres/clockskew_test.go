package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestInstancesSeenWhateverTheirClocks: an instance on a host whose clock
// is a few minutes behind recorded its heartbeat in that clock, so syncd
// status elsewhere counted it as not seen (it was missing from the list)
// and one a few minutes ahead looked seen in the future (it kept the lead
// it once had for minutes after it died). The heartbeat is the database's
// clock, and Instances gives the times on the caller's clock.
func TestInstancesSeenWhateverTheirClocks(t *testing.T) {
	dsn := pgtest.DSN(t)
	here, behind, ahead := openDSN(t, dsn), openDSN(t, dsn), openDSN(t, dsn)
	behind.Now = func() time.Time { return time.Now().Add(-3 * time.Minute) }
	ahead.Now = func() time.Time { return time.Now().Add(4 * time.Minute) }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go behind.Heartbeat(ctx, "127.0.0.1:1", "1.0.0", noSettings)
	go ahead.Heartbeat(ctx, "127.0.0.1:2", "1.0.0", noSettings)
	for _, c := range []struct {
		name string
		now  func() time.Time
		list func(context.Context, time.Duration) ([]syncd.Instance, error)
	}{{"here", here.Now, here.Instances}, {"behind", behind.Now, behind.Instances}, {"ahead", ahead.Now, ahead.Instances}} {
		var got []syncd.Instance
		waitFor(t, c.name+" sees both", func() bool { got, _ = c.list(ctx, 30*time.Second); return len(got) == 2 })
		for _, in := range got {
			if age := c.now().Sub(in.SeenAt); age < -time.Second || age > 10*time.Second {
				t.Errorf("%s: %s seen %s ago, want within the heartbeat", c.name, in.Listen, age)
			}
			if up := c.now().Sub(in.StartedAt); up < -time.Second || up > time.Minute {
				t.Errorf("%s: %s up %s, want since the test began", c.name, in.Listen, up)
			}
		}
	}
}

func noSettings() string { return "" }

// TestLeaseHeldWhateverTheClocks: an instance whose clock ran ten minutes
// ahead, taking over the sync (its leader died, or was cut off mid-call),
// claimed at once the operation the other instance was still sending: by
// its clock the lease had run out, so the CRM would get it twice. Leases
// are set and compared on the database server's clock, as each instance's
// heartbeat measures it; one that has run out is still taken.
func TestLeaseHeldWhateverTheClocks(t *testing.T) {
	dsn := pgtest.DSN(t)
	here, ahead := openDSN(t, dsn), openDSN(t, dsn)
	ahead.Now = func() time.Time { return time.Now().Add(10 * time.Minute) }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go here.Heartbeat(ctx, "127.0.0.1:1", "1.0.0", noSettings)
	go ahead.Heartbeat(ctx, "127.0.0.1:2", "1.0.0", noSettings)
	waitFor(t, "both beat", func() bool { got, _ := here.Instances(ctx, 30*time.Second); return len(got) == 2 })
	in := here.NewIntake(postgres.IntakeOptions{})
	go in.Run(ctx)
	rec, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "k", Body: []byte("{}"),
		Parse: syncd.ParseStrict})
	if err != nil {
		t.Fatal(err)
	}
	ops := []syncd.Op{{Target: "hubspot", Kind: syncd.RecordContact, Key: "a@example.com", MappingFile: "f", MappingHash: "h"}}
	if _, err := here.RecordMapping(ctx, rec.ID, syncd.MapMapped, "", ops); err != nil {
		t.Fatal(err)
	}
	const lease = 3 * time.Second
	held, err := here.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, lease)
	if err != nil || len(held) != 1 {
		t.Fatalf("here claims %d ops, %v; want the one", len(held), err)
	}
	claimed := time.Now()
	taken, err := ahead.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, lease)
	if err != nil || (len(taken) != 0 && time.Since(claimed) < lease) {
		t.Fatalf("the instance ten minutes ahead claims %d ops, %v, while the other's lease runs; want none", len(taken), err)
	}
	waitFor(t, "the lease to run out and the op to be taken", func() bool {
		taken, err = ahead.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, lease)
		return err == nil && len(taken) == 1
	})
}
