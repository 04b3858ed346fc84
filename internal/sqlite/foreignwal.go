package sqlite

import (
	"errors"
	"fmt"
	"io"
	"os"

	"al.essio.dev/pkg/shellescape"
)

// ErrForeignWAL is in the chain of ForeignWAL's error: a -wal beside the
// database that is not its own.
var ErrForeignWAL = errors.New("write-ahead log of another database")

// walHeaderSize is the size of a write-ahead log's header: a -wal no
// larger holds no transaction.
const walHeaderSize = 32

// ForeignWAL says why the write-ahead log beside the database at path is
// not that database's, or nil. SQLite replays whatever -wal lies beside a
// database file onto it as it opens it, whatever database the log was
// written for. A database file in rollback-journal mode (its header's
// bytes 18 and 19 both 1: the copy syncd backup makes) with a -wal holding
// transactions beside it was put there without the -wal of the database it
// replaced: a backup restored over a daemon killed (or a disk lost) before
// its last checkpoint. Opened, the old database's last transactions would
// be written into the copy, the two mixed (rows of both, or a damaged
// file), and the restore undone unseen. syncd opens every database in WAL
// mode, which writes bytes 18 and 19 as 2 into the file before any
// transaction goes to its -wal, so its own -wal never lies beside a file in
// rollback-journal mode. Anything it cannot read is left to Open.
func ForeignWAL(path string) error {
	st, err := os.Stat(path + "-wal")
	if err != nil || st.Size() <= walHeaderSize {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	head := make([]byte, 20)
	if _, err := io.ReadFull(f, head); err != nil || string(head[:16]) != "SQLite format 3\x00" {
		return nil // empty (its transactions all in the -wal yet), or no database: Open says
	}
	if head[18] != 1 || head[19] != 1 {
		return nil // in WAL mode: the -wal is its own
	}
	return foreignWAL{fmt.Errorf("%s-wal is not the write-ahead log of %s: that file was put in place without the -wal and "+
		"-shm of the database it replaced (a backup restored: syncd backup's copies have none), and opening it "+
		"would write that database's last transactions into it, mixing the two and undoing the restore. If you "+
		"restored a backup, remove them, as the README's restore steps do (rm -f %s %s), then start "+
		"syncd again; if not, put back the %s they belong to", path, path, shellescape.Quote(path+"-wal"),
		shellescape.Quote(path+"-shm"), path)}
}

// foreignWAL is ForeignWAL's error: its words alone, ErrForeignWAL in its
// chain.
type foreignWAL struct{ err error }

func (e foreignWAL) Error() string   { return e.err.Error() }
func (e foreignWAL) Unwrap() []error { return []error{e.err, ErrForeignWAL} }
