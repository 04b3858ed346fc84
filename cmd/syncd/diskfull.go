package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/systemd"
)

// roomRetry is how often serve tries again to open a database that a full
// disk kept from opening.
const roomRetry = 5 * time.Second

// newDaemonWhenRoom is newDaemon, waiting while the disk holding the
// SQLite database is full (sqlite.ErrDiskFull): SQLite cannot even open a
// database in WAL mode without room for its -shm file. A start on a full
// disk (a reboot, a restart by hand) used to exit at once: systemd
// restarted it every 2 s (RestartSec), a bare "disk I/O error" logged each
// time, at the edge of its default start limit (5 starts in 10 s), past
// which it stops trying and syncd stays down once space is freed. The wait
// is logged once, shown in systemd's status (with the start timeout
// extended meanwhile), and ends when the database opens or ctx ends. The
// port is answered meanwhile (startWait), for syncd status to say so.
func newDaemonWhenRoom(ctx context.Context, file string, cfg *config.Config, log zerolog.Logger, start startFlags,
	ln, metricsLn net.Listener) (*daemon, error) {
	d, err := newDaemon(ctx, file, cfg, log, start)
	if !errors.Is(err, sqlite.ErrDiskFull) {
		return d, err
	}
	log.Error().Err(err).Msg("start: waiting for room on the disk; no delivery is accepted until then")
	stop := systemd.NewNotifier().Extending("waiting for room on the disk holding the database", roomRetry)
	defer stop()
	w := startWaiting(cfg, log, ln, metricsLn, err)
	defer w.stop()
	for errors.Is(err, sqlite.ErrDiskFull) {
		w.failed(err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(roomRetry):
		}
		d, err = newDaemon(ctx, file, cfg, log, start)
	}
	if err == nil {
		log.Info().Msg("room on the disk again: starting")
	}
	return d, err
}

// roomAgain is the free space under which /readyz takes the disk that
// refused a write for want of room as still full.
const roomAgain = 1 << 20

// stillFull is /readyz's word on the disk holding the SQLite database at
// path once a write there failed for want of room and no delivery was
// stored since: an error while the disk has less than roomAgain free. The
// intake's probe writes a few bytes, which fit in the room a refused
// transaction left where no delivery does: /readyz answered 200 five
// seconds after a refused delivery, and syncd status said nothing, exit 0,
// between the 503s of a full disk. Nil when the disk cannot be read.
func stillFull(path string) error {
	dir := filepath.Dir(path)
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		return nil
	}
	free := int64(fs.Bavail) * int64(fs.Bsize)
	if free >= roomAgain {
		return nil
	}
	return fmt.Errorf("%w: no room left for the database in %s (%d bytes free; a delivery was refused for want of room): "+
		"%s; the daemon goes on by itself once there is room", sqlite.ErrDiskFull, dir, free, sqlite.FreeSpaceThere(dir))
}

// roomSeen is whether the disk holding the SQLite database has room again
// after a write there was refused for want of it, the status line saying
// "disk FULL": stillFull says nil and the intake's probe write passes
// (its Ready, whose answer stands for a few seconds), as /readyz then
// answers 200. It takes "disk FULL" off the line. The line said it until
// the next delivery was stored, on a quiet night for hours after the
// operator made room, while /readyz answered 200. /readyz and the
// watchdog's health check call it: no timer of its own, and nothing but
// an atomic load while the line says no such thing. The error is why the
// disk is still taken for full.
func (d *daemon) roomSeen(ctx context.Context) error {
	if !d.line.diskFull() || d.db.cluster != nil {
		return nil
	}
	err := stillFull(d.db.where) // first: no probe write while the disk has no room (each failed one an error logged)
	if err == nil {
		err = d.intake.Ready(ctx)
	}
	if err == nil {
		d.line.roomAgain()
	}
	return err
}
