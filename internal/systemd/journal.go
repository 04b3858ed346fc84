package systemd

import (
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/rs/zerolog"
)

// JournalStream reports whether f is the stream systemd connected to the
// journal: systemd sets JOURNAL_STREAM to that stream's "DEVICE:INODE"
// (systemd.exec(5)), and only a process whose f is still that stream logs
// into the journal (a child given another stdout inherits the variable).
func JournalStream(f *os.File) bool {
	want := os.Getenv("JOURNAL_STREAM")
	if want == "" || f == nil {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && want == fmt.Sprintf("%d:%d", st.Dev, st.Ino)
}

// PriorityWriter writes each zerolog entry to W prefixed with its syslog
// priority, "<3>" for an error, "<4>" a warning, "<6>" info, "<7>" debug
// (sd-daemon(3)). journald reads the prefix off a line of its stream
// (SyslogLevelPrefix=, on by default) and keeps the line without it, at
// that priority: without it every line of the daemon's, errors too, was
// kept at the stream's priority, info, so journalctl -p warning showed
// none of them and systemctl status none in colour.
type PriorityWriter struct {
	W io.Writer
}

// Write writes p as it is: an entry without a level takes the stream's
// priority (info).
func (w PriorityWriter) Write(p []byte) (int, error) { return w.W.Write(p) }

// WriteLevel writes p prefixed with level's priority, in one write so that
// the entries of two goroutines never mix on a line.
func (w PriorityWriter) WriteLevel(level zerolog.Level, p []byte) (int, error) {
	line := make([]byte, 0, len(p)+3)
	line = append(line, '<', priority(level), '>')
	line = append(line, p...)
	n, err := w.W.Write(line)
	n -= 3
	if n < 0 {
		n = 0
	}
	return n, err
}

// priority is the syslog priority digit of a zerolog level.
func priority(level zerolog.Level) byte {
	switch level {
	case zerolog.PanicLevel:
		return '1' // alert
	case zerolog.FatalLevel:
		return '2' // crit
	case zerolog.ErrorLevel:
		return '3'
	case zerolog.WarnLevel:
		return '4'
	case zerolog.DebugLevel, zerolog.TraceLevel:
		return '7'
	default:
		return '6' // info, and an entry without a level
	}
}
