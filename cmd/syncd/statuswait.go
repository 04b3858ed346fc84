package main

import (
	"fmt"
	"net"
	"strings"

	"github.com/syncd-dev/syncd/internal/config"
)

// statusWaiting prints the state of a daemon that answers but waits at
// start for its database (startWait): PostgreSQL to answer, or room on
// the disk of an SQLite database; since when, which database, why in
// plain words and what to do; exit 5. Status said "no syncd answers
// (context deadline exceeded)" of it, and then the database's own error,
// as if no daemon ran.
func (c *cli) statusWaiting(cfg *config.Config, clk clock, s Snapshot) int {
	tw := newTable(c.stdout)
	fmt.Fprintf(tw, "syncd\t%s, status at %s\n", s.Version, clk.show(s.At))
	agencyLine(tw, cfg.Agency)
	retry, do := reachRetry, "start PostgreSQL, or make it reachable from this host"+isReady(s.Database)+
		"; the daemon's log said so once as it began waiting (\"start: waiting for the database to answer\"), "+
		"and says \"the database answers: starting\" when it does"
	if cfg.Store.Kind == config.StorePostgres {
		fmt.Fprintf(tw, "daemon\tUP, WAITING FOR ITS DATABASE since %s: %s does not answer: %s\n",
			when(clk, s.WaitingSince, s.At), s.Database, s.WaitingWhy)
	} else {
		retry, do = roomRetry, "free space on that disk (df -h names it, du -sh what fills it)"
		fmt.Fprintf(tw, "daemon\tUP, WAITING FOR ROOM ON THE DISK since %s: %s cannot be opened: %s\n",
			when(clk, s.WaitingSince, s.At), s.Database, s.WaitingWhy)
	}
	fmt.Fprintf(tw, "\t  it tries again every %s and starts on its own once it opens the database\n", retry)
	fmt.Fprintf(tw, "deliveries\tREFUSED until then: each is answered 503, and senders retry (Estate Agent Feeds for an hour only)\n")
	fmt.Fprintf(tw, "do\t%s; nothing needs restarting\n", do)
	tw.Flush()
	return exitAttention
}

// isReady is the pg_isready command that tells when the first host of
// where (postgres://host:port,.../name) answers, with its lead-in; "" when
// where names none.
func isReady(where string) string {
	hosts, _, _ := strings.Cut(strings.TrimPrefix(where, "postgres://"), "/")
	first, _, _ := strings.Cut(hosts, ",")
	host, port, err := net.SplitHostPort(first)
	if err != nil {
		return ""
	}
	return fmt.Sprintf(" (pg_isready -h %s -p %s says when it answers)", host, port)
}
