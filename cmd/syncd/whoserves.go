package main

import (
	"context"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// serving names, for a person, what sends what waits in a database: the
// daemon on SQLite, any of the instances sharing a PostgreSQL database.
// Before, status said "the daemon" on PostgreSQL too, which an operator
// running three instances could not tell apart.
type serving struct{ shared bool }

// noneRuns says that nothing serves the database now.
func (w serving) noneRuns() string {
	if w.shared {
		return "no syncd instance runs on this database"
	}
	return "no syncd daemon serves this database"
}

// started is what sends what waits once a person starts it.
func (w serving) started() string {
	if w.shared {
		return "once an instance is started"
	}
	return "once the daemon is started"
}

// noneServes is what status says, offline, when nothing serves the
// database: nothing sends what waits.
func (w serving) noneServes() string { return w.noneRuns() + ": nothing sends them by itself" }

// leaderName is how status names an instance that leads a part.
func leaderName(in syncd.Instance) string {
	return fmt.Sprintf("%s pid %d (listen %s)", in.Host, in.PID, in.Listen)
}

// leadersOf names the instance leading each part ("sync", "report") as
// the cluster's rows tell now (leadsNow); a part none leads is absent.
func leadersOf(ctx context.Context, c cluster) map[string]string {
	ins, err := c.Instances(ctx, clusterSeen)
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for i, parts := range leadsNow(ins, time.Now()) {
		for _, p := range parts {
			out[p] = leaderName(ins[i])
		}
	}
	return out
}
