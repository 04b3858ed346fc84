package main

import (
	"context"
	"strings"
	"time"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/config"
)

// saidDaemonMapsOld warns, after a replay that wrote, when the daemon
// serving the database runs on mapping or configuration files other than
// those on disk, which the replay mapped with: the leads stored so far
// went again the new way, while the daemon, not reloaded, maps every lead
// that comes after the old way, and the operator who fixed a mapping and
// replayed read nothing of it. A daemon not found, or not saying what it
// loaded, is no warning.
func (c *cli) saidDaemonMapsOld(ctx context.Context, file string, cfg *config.Config) {
	pid, files := daemonOnOtherFiles(ctx, file, cfg)
	if len(files) == 0 {
		return
	}
	c.errorf("warning: the daemon (pid %d) maps the leads that come from now on with the files it loaded, "+
		"not with those on disk this replay used (%s changed since): systemctl reload syncd (or syncd reload -config %s)",
		pid, strings.Join(files, ", "), shellescape.Quote(file))
}

// daemonOnOtherFiles finds the daemon serving cfg's database and, when it
// runs on mapping or configuration files other than those on disk, says
// which changed since it loaded them, and its pid. A daemon not found, or
// not saying what it loaded, is none.
func daemonOnOtherFiles(ctx context.Context, file string, cfg *config.Config) (pid int, files []string) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	_, snap, err := daemonOf(ctx, file, cfg)
	if err != nil || snap.loaded == nil {
		return 0, nil
	}
	st, err := snap.loaded.changedOnDisk()
	if err != nil {
		return 0, nil
	}
	return snap.PID, st.files
}
