package main

import (
	"context"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
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

// start is what a person does to have what waits sent by itself.
func (w serving) start() string {
	if w.shared {
		return "start an instance"
	}
	return "start the daemon"
}

// sender is what sends what waits while the database is served: on a
// shared database the instance leading sync, not "the daemon" (there are
// several).
func (w serving) sender() string {
	if w.shared {
		return "the instance leading sync"
	}
	return "the daemon"
}

// whose is thing (a next try, a syncer) of what sends what waits: the
// daemon's, or that of the instance leading sync.
func (w serving) whose(thing string) string {
	if w.shared {
		return thing + " of the instance leading sync"
	}
	return "the daemon's " + thing
}

// servingOf is how to speak of what serves cfg's database.
func servingOf(cfg *config.Config) serving { return serving{cfg.Store.Kind != config.StoreSQLite} }

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
