package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/writable"
)

// fileSpacer is a store that tells its file's size and free space
// (sqlite.DB.FileSpace); PostgreSQL's files are its server's.
type fileSpacer interface {
	FileSpace(ctx context.Context) (size, free int64, err error)
}

// fileSpaceSaid says, after a purge on SQLite, how large the database is
// and how much of it is free: SQLite reuses free pages for new leads but
// does not give them back, so a big day's file keeps its size after the
// retention purged that day. With a quarter or more free it says how to
// shrink the file. Before, nothing said why a file purged of most of what
// it held stayed as large.
func fileSpaceSaid(ctx context.Context, w io.Writer, db any, path string) error {
	fs, ok := db.(fileSpacer)
	if !ok || path == "" {
		return nil
	}
	size, free, err := fs.FileSpace(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "database file: %s, %s of it free space, which new leads reuse (SQLite does not give it back: the file keeps "+
		"the size of its fullest days; secure delete left nothing in it)\n", megabytes(size), megabytes(free))
	if free > 0 && free >= size/4 {
		fmt.Fprintf(w, "to shrink it, in a quiet hour (deliveries are not taken meanwhile: senders retry; it needs free disk as large as the file): "+
			"systemctl stop syncd; %ssqlite3 %s VACUUM; systemctl start syncd\n", asOwnerOf(path), shellescape.Quote(path))
	}
	return nil
}

// asOwnerOf is the sudo that runs a command as the owner of the file at
// path, so that what it writes there stays that user's: "" when that is
// the user running this command already. It named the service's user,
// syncd, whoever owned the file: an operator running syncd as himself was
// given a sudo -u syncd that his server has no user for.
func asOwnerOf(path string) string {
	owner, _ := writable.Owner(path)
	switch {
	case owner == "?":
		return "sudo -u syncd "
	case owner == writable.UserName(os.Geteuid()):
		return ""
	case strings.HasPrefix(owner, "uid "):
		return "sudo -u '#" + strings.TrimPrefix(owner, "uid ") + "' "
	}
	return "sudo -u " + shellescape.Quote(owner) + " "
}

// megabytes is n bytes in MB to one decimal ("152.3 MB").
func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
