package main

import (
	"cmp"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/systemd"
)

// warnForeignSocket warns when the daemon serves on ln, a socket systemd
// passed (ListenStream= of syncd.socket, or of syncd@NAME.socket for an
// agency's instance: named as systemd names it), that a connection to
// listen: does not reach: syncd status looks for the daemon's /metrics at
// listen (when metrics.listen is not set), and finds it only by the record
// it keeps in its data directory (servingrecord.go).
func warnForeignSocket(log zerolog.Logger, cfg *config.Config, ln net.Listener) {
	if cfg.Metrics.Listen != "" || reaches(cfg.Listen, ln.Addr()) {
		return
	}
	log.Warn().Str("listen", cfg.Listen).Str("socket", ln.Addr().String()).
		Msg("the socket systemd passed is not at listen: syncd status looks for the daemon at listen, and finds it only by its record in data_dir; " +
			"give listen the socket's address (ListenStream= in " + socketUnitOf(ln) + "), or set metrics.listen")
}

// socketUnitOf is the socket unit that passed ln, as systemd names it;
// syncd.socket where it does not.
func socketUnitOf(ln net.Listener) string {
	return cmp.Or(systemd.SocketUnit(ln), "syncd.socket")
}

// reaches reports whether a connection to listen reaches a TCP socket
// bound at addr; true where that is not for it to judge (port 0, a port
// or address by name other than localhost).
func reaches(listen string, addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	host, port, err := net.SplitHostPort(listen)
	n, perr := strconv.Atoi(port)
	if !ok || err != nil || perr != nil || n == 0 {
		return true
	}
	if n != tcp.Port {
		return false
	}
	ip := net.ParseIP(host)
	switch {
	case tcp.IP.IsUnspecified(), host == "localhost" && tcp.IP.IsLoopback():
		return true
	case ip == nil:
		return host != "localhost" // "" is this host; another name is not resolved here
	}
	return ip.Equal(tcp.IP) || ip.IsUnspecified() && tcp.IP.IsLoopback() // a dial to 0.0.0.0 is one to this host

}

// placeholdersAbroad refuses the socket systemd passed (addr) where it
// takes other hosts' connections while a source's token is a placeholder:
// the configuration refuses them where listen does (config.Placeholder),
// but under syncd.socket the daemon serves on the socket whatever listen
// says, and took anyone's leads there with a token the README prints.
func placeholdersAbroad(cfg *config.Config, addr net.Addr) error {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || tcp.IP.IsLoopback() {
		return nil
	}
	names := cfg.PlaceholderTokens()
	if len(names) == 0 {
		return nil
	}
	return fmt.Errorf("%s: a placeholder (it says change-me) that anyone who read the example knows, and the socket "+
		"systemd passed, %s, takes connections from other hosts: give each source a token of its own (the example "+
		"configuration reads them from SYNCD_<SOURCE>_TOKEN), or ListenStream=127.0.0.1:PORT for a trial",
		strings.Join(names, ", "), addr)
}
