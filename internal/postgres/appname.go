package postgres

import (
	"fmt"
	"os"

	"github.com/jackc/pgx/v5"
)

// appNameParam is the run-time parameter a DBA sees in pg_stat_activity.
const appNameParam = "application_name"

// named returns a copy of c whose sessions are named for what this
// process does with them, "syncd WHAT HOST:PID" ("syncd listen web1:4242",
// "syncd lead sync web1:4242", "syncd serve web1:4242" for the daemon's
// pool), so that a DBA tells syncd's sessions, their roles and their
// instances apart in pg_stat_activity; the host and pid are those syncd
// status lists. An application_name the DSN (or PGAPPNAME) sets is kept:
// the operator's name wins. The server keeps the first 63 bytes.
func named(c *pgx.ConnConfig, own bool, what string) *pgx.ConnConfig {
	c = c.Copy()
	if own {
		return c
	}
	if c.RuntimeParams == nil {
		c.RuntimeParams = map[string]string{}
	}
	host, _ := os.Hostname()
	c.RuntimeParams[appNameParam] = fmt.Sprintf("syncd %s %s:%d", what, host, os.Getpid())
	return c
}

// ownName reports whether the DSN c was parsed from names its sessions.
func ownName(c *pgx.ConnConfig) bool {
	_, ok := c.RuntimeParams[appNameParam]
	return ok
}
