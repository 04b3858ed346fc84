package main

import (
	"fmt"
	"path/filepath"

	"github.com/syncd-dev/syncd/internal/config"
)

// syncd crm setup -config B.yaml ended "a running daemon checks the account
// again at once on reload (syncd reload -config A.yaml)" beside a daemon
// serving A.yaml on the same database: a reload of that daemon reads
// A.yaml, not B's CRM settings; and "(systemctl reload syncd)", syncd.service's,
// where no daemon ran on B at all. It now names the daemon of B, or says
// that none runs on B (setupCheckedWhen).

// daemonOn finds the daemon running on file's database (the record in
// cfg's data directory: it may run on another file than file) or, for a
// unit's file in /etc/syncd, one of file's own where the units keep their
// records (stateDirsOf: SYNCD_DATA_DIR the unit's, not the file's). known
// is false where a record could not be read (a data directory closed to
// this user): whether one runs is not known then.
func daemonOn(file string, cfg *config.Config) (r servingRecord, ok, known bool) {
	data := servingPlace{dir: cfg.DataDir}
	if db, err := storeName(cfg); err == nil {
		data.byDB, data.db = true, db
	}
	places := []servingPlace{data}
	if filepath.Dir(abs(file)) == "/etc/syncd" {
		for _, dir := range stateDirsOf(file) {
			places = append(places, servingPlace{dir: dir, byFile: true})
		}
	}
	return servingIn(file, places, func(r servingRecord) bool { return r.Config != "" && r.running() })
}

// setupCheckedWhen says, at the end of a crm setup done on file, when a
// daemon checks the account again: the daemon running on file at once on
// reload (systemctl reload syncd, which reloadAsStarted and forInstance
// make its own); else that none runs on file, naming the daemon of
// another file serving its database, whose reload reads that file.
func setupCheckedWhen(file string, cfg *config.Config) string {
	const onReload = "checks the account again at once on reload (systemctl reload syncd), else as CRM calls go through, at most every 15 minutes"
	r, ok, known := daemonOn(file, cfg)
	switch {
	case ok && sameConfig(r.Config, file):
		return fmt.Sprintf("the daemon running on %s (pid %d) %s", abs(file), r.PID, onReload)
	case ok:
		return fmt.Sprintf("no daemon runs on %s: the one serving its database %s (pid %d) runs on %s, and a reload of it "+
			"reads that file, not this one", abs(file), r.Database, r.PID, r.Config)
	case !known:
		return "a running daemon " + onReload
	}
	start := ""
	if filepath.Dir(abs(file)) == "/etc/syncd" {
		start = " (systemctl start " + unitOf(file) + ")"
	}
	return fmt.Sprintf("no daemon runs on %s: one started on it%s checks the account as it starts", abs(file), start)
}
