package postgres_test

import (
	"context"
	"testing"
	"time"

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
