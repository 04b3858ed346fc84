package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestStartStatusTellsAPersonsFixFromARestarts: serve's exit status for
// each start refusal the end-to-end tests cannot make (rights, a read-only
// disk, PostgreSQL's refusals, a -wal left behind): 2 where a person must
// act, which the units do not restart; 1 where a restart may mend it.
func TestStartStatusTellsAPersonsFixFromARestarts(t *testing.T) {
	t.Parallel()
	denied := &fs.PathError{Op: "open", Path: "/var/lib/syncd/syncd.db", Err: syscall.EACCES}
	for _, c := range []struct {
		what string
		err  error
		want int
	}{
		{"data directory not writable", fmt.Errorf("open db: cannot write /var/lib/syncd (owned by root): %w", denied), exitUsage},
		{"read-only disk", fmt.Errorf("open db: %w", &os.SyscallError{Syscall: "open", Err: syscall.EROFS}), exitUsage},
		{"-wal left behind", fmt.Errorf("open db: %w: …", sqlite.ErrWALLeftBehind), exitUsage},
		{"copied while served", fmt.Errorf("open db: %w: …", sqlite.ErrCopiedWhileServed), exitUsage},
		{"another database's -wal", fmt.Errorf("open db: %w", sqlite.ErrForeignWAL), exitUsage},
		{"damaged", fmt.Errorf("open db: %w", sqlite.ErrDamaged), exitUsage},
		{"another daemon", &sqlite.ServingError{PID: 42, Path: "/var/lib/syncd/syncd.db"}, exitUsage},
		{"reports directory another daemon's", fmt.Errorf("%w: …", errReportsDirTaken), exitUsage},
		{"postgres password", fmt.Errorf("connect db:5432/syncd: %w", &pgconn.PgError{Code: "28P01"}), exitUsage},
		{"postgres no such database", fmt.Errorf("connect: %w", &pgconn.PgError{Code: "3D000"}), exitUsage},
		{"postgres rights missing", fmt.Errorf("migrate: %w", &pgconn.PgError{Code: "42501"}), exitUsage},
		{"postgres host not found", fmt.Errorf("connect: %w", &net.DNSError{Name: "db.example", IsNotFound: true}), exitFailure},
		{"postgres setting misspelt", fmt.Errorf("connect: %w", &pgconn.PgError{Code: "42704"}), exitUsage},
		{"postgres standby", fmt.Errorf("migrate: %w", &pgconn.PgError{Code: "25006"}), exitFailure},
		{"postgres starting up", fmt.Errorf("connect: %w", &pgconn.PgError{Code: "57P03"}), exitFailure},
		{"postgres other", fmt.Errorf("migrate: %w", &pgconn.PgError{Code: "40001"}), exitFailure},
		{"disk full", fmt.Errorf("open db: %w", sqlite.ErrDiskFull), exitFailure},
		{"address taken", &listenError{addr: "127.0.0.1:8080", err: &net.OpError{Op: "listen", Err: syscall.EADDRINUSE}}, exitFailure},
		{"address not there yet", &listenError{addr: "192.0.2.1:8080", err: &net.OpError{Op: "listen", Err: syscall.EADDRNOTAVAIL}}, exitFailure},
		{"a port below 1024", &listenError{addr: "0.0.0.0:80", err: &net.OpError{Op: "listen", Err: syscall.EACCES}}, exitUsage},
		{"anything else", errors.New("read last report: i/o timeout"), exitFailure},
	} {
		if got := startStatus(c.err); got != c.want {
			t.Errorf("%s (%v): exit %d, want %d", c.what, c.err, got, c.want)
		}
	}
}
