package main

import (
	"fmt"
	"syscall"
)

// filesBeside is how many files the daemon keeps open beside its webhook
// connections, with room to spare: the database's files for each of its
// connections, the listeners, the log, the CRM's and the mail server's
// connections, a report being written.
const filesBeside = 64

// tooFewFiles is a warning when this process may open fewer files
// (RLIMIT_NOFILE, which Go raises to its hard limit at start) than
// http.max_connections connections need beside filesBeside, or "". Past
// the limit accept fails ("too many open files") before the connection
// cap closes an idle connection for a newcomer: senders and /healthz wait
// for the accept loop's back-off rather than get in. The unit's
// LimitNOFILE=65536 leaves room; a shell's or a container's limit may not.
func tooFewFiles(maxConns int) string {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur == ^uint64(0) { // RLIM_INFINITY
		return ""
	}
	if lim.Cur >= uint64(maxConns+filesBeside) {
		return ""
	}
	fit := max(int(lim.Cur)-filesBeside, 0)
	return fmt.Sprintf("http.max_connections is %d, but this process may open only %d files (its RLIMIT_NOFILE), "+
		"and syncd needs some %d beside its connections: past %d connections new ones fail to be accepted "+
		"(too many open files) and senders wait; raise the limit (LimitNOFILE= in the unit, ulimit -n in a shell) "+
		"or set http.max_connections to %d or less", maxConns, lim.Cur, filesBeside, fit, fit)
}
