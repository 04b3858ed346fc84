package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"time"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// noAnswerDo says, of an SQLite store's cfg from file whose daemon does
// not answer, whether a daemon serves its database all the same, as its
// lock says, and what to do: status said "no syncd answers at ADDR:
// figures from the database" alone, exit 5, whether the daemon was
// stopped (an operator read nothing of starting it) or runs without
// answering (stopped by a signal, hung), which read as if none ran. With
// none, another program listening at the file's listen is named: syncd
// would not start there.
func noAnswerDo(cfg *config.Config, file string) string {
	if f, err := os.Open(cfg.DBPath() + "-daemon.lock"); errors.Is(err, fs.ErrPermission) {
		return "" // this user cannot tell whether one holds it
	} else if err == nil {
		f.Close()
	}
	var serving *sqlite.ServingError
	if errors.As(sqlite.DaemonServing(cfg.DBPath()), &serving) {
		pid := ""
		if serving.PID != 0 {
			pid = fmt.Sprintf(" (pid %d)", serving.PID)
		}
		log := "journalctl -u syncd says what it did last"
		if r, ok := runningRecord(cfg); ok && r.StartedBy == startedByHand {
			log = "it was started by hand, not by systemd: its output says what it did last" // no journal of a unit
		}
		return fmt.Sprintf("a syncd daemon%s serves it all the same, and does not answer: stopped by a signal, hung, or "+
			"its host too loaded; %s; if it stays so, systemctl restart syncd", pid, log)
	}
	start := fmt.Sprintf("start it (systemctl start syncd; by hand, syncd serve -config %s)", shellescape.Quote(file))
	if !portChosenAtStart(cfg.Listen) {
		if conn, err := net.DialTimeout("tcp", cfg.Listen, time.Second); err == nil {
			conn.Close()
			return fmt.Sprintf("no syncd daemon serves it, and another program listens at %s, the file's listen, where syncd "+
				"could not: stop that one (ss -ltnp names it) or give syncd another listen, then %s", cfg.Listen, start)
		}
	}
	return "no syncd daemon serves it: " + start
}
