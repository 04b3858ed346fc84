package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"al.essio.dev/pkg/shellescape"
)

// pidRefused says why syncd reload must not signal the process pid given
// with -pid, or "" when it may: SIGHUP ends most programs, so a -pid
// mistyped, or one left from a daemon that has restarted since, would end
// someone's editor or shell rather than reload anything. said is the pid
// the daemon found from the configuration says it runs as (0: no daemon
// found); addr is where it answers. A pid below 0, which kill(2) takes
// for a process group (-1: every process the user may signal, as root
// every process), is refused whatever else: with no daemon found, -pid -1
// had nothing in /proc to judge and was signalled.
func pidRefused(pid, said int, addr, file string) string {
	if pid < 0 {
		return fmt.Sprintf("-pid %d is no process id: a negative one signals a whole process group (-1 every process); "+
			"nothing signalled: give the pid of syncd serve (systemctl show -p MainPID --value syncd says it)", pid)
	}
	if said != 0 && pid != said && !nsPIDOf(pid, said) {
		return fmt.Sprintf("-pid %d is not the daemon of %s: the syncd at %s, serving its database, is pid %d; "+
			"nothing signalled: run syncd reload -config %s without -pid", pid, file, addr, said, shellescape.Quote(file))
	}
	if said == 0 {
		if prog, ok := notServe(pid); ok {
			return fmt.Sprintf("-pid %d is not a syncd daemon (it runs %q, not syncd serve); nothing signalled: "+
				"give the pid of syncd serve (systemctl show -p MainPID --value syncd says it)", pid, prog)
		}
	}
	return ""
}

// nsPIDOf says whether process pid is known inside its PID namespace (a
// container's) as said, as a daemon there says its pid: Linux's NSpid
// line lists a process's pid in each namespace it is in.
func nsPIDOf(pid, said int) bool {
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return false
	}
	for line := range strings.Lines(string(raw)) {
		if rest, ok := strings.CutPrefix(line, "NSpid:"); ok {
			return slices.Contains(strings.Fields(rest), strconv.Itoa(said))
		}
	}
	return false
}

// notServe says whether process pid is seen to run something other than
// `syncd serve` (a daemon's first argument is always serve), with the
// program it runs; a process whose command line cannot be read (another
// system, hidden /proc) is not judged.
func notServe(pid int) (string, bool) {
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil || len(raw) == 0 {
		return "", false // no such process: kill says so; else not judged
	}
	args := strings.Split(string(bytes.TrimRight(raw, "\x00")), "\x00")
	if len(args) > 1 && args[1] == "serve" {
		return "", false
	}
	return filepath.Base(args[0]), true
}

// daemonFile is the configuration file the daemon s loaded, as its
// /metrics say; file, given with -config, when it is that one or the
// daemon does not say.
func daemonFile(s Snapshot, file string) string {
	if s.loaded == nil || s.loaded.config == "" || sameConfig(s.loaded.config, file) {
		return file
	}
	return s.loaded.config
}

// notTheFileGiven warns that the daemon found from file, given with
// -config, loads another file, own: a daemon loads again the file it
// started with, and syncd reload said "runs on FILE" of the file given,
// an edited copy beside the daemon's own, whose edits reached nothing.
func (c *cli) notTheFileGiven(own, file string) {
	if own == file {
		return
	}
	c.errorf("warning: the daemon loads again %s, the file it started with, not %s (-config), which shares its "+
		"database: an edit of %s does not reach it; to run on that file, copy it over %s and reload, or start the "+
		"daemon with -config %s", own, file, file, own, shellescape.Quote(file))
}
