package config

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// validateListen checks listen and metrics.listen: each an address serve
// can listen on (HOST:PORT), and the two not one address. validate used to
// pass both when only serve could tell: metrics.listen: 9090 stopped serve
// at start with "missing port in address" (of a port), and a
// metrics.listen equal to listen with "another process listens on ..."
// (syncd itself), where systemd restarted it again and again.
func (l *loader) validateListen(cfg *Config) {
	name := "listen"
	if l.env("SYNCD_LISTEN") != "" {
		name = "SYNCD_LISTEN"
	}
	ok := l.address([]string{"listen"}, name, cfg.Listen)
	if cfg.Metrics.Listen == "" {
		return
	}
	path := []string{"metrics", "listen"}
	if l.address(path, "metrics.listen", cfg.Metrics.Listen) && ok && sameAddress(cfg.Listen, cfg.Metrics.Listen) {
		l.at(path, "metrics.listen %s is where %s %s listens already, so serve could not open it: "+
			"give /metrics a port of its own, or leave metrics.listen out to serve /metrics at %s", cfg.Metrics.Listen, name, cfg.Listen, name)
	}
}

// address adds a problem, at path, when addr is not an address serve can
// listen on, and reports whether it is one. name is the setting as the
// operator gave it: SYNCD_LISTEN (no line of the file) or the file's key.
// The problem says what is wrong in the operator's terms, not Go's
// ("address nowhere: missing port in address"), and what to write.
func (l *loader) address(path []string, name, addr string) bool {
	why := addressProblem(addr)
	if why == "" {
		return true
	}
	example := "127.0.0.1:8080" // the example configuration's listen
	if name == "metrics.listen" {
		example = "127.0.0.1:9090" // beside it, a port of its own
	}
	msg := fmt.Sprintf("%s %s%s", name, addr, strings.ReplaceAll(why, "EXAMPLE", example))
	if name == "SYNCD_LISTEN" {
		l.add(0, "%s (SYNCD_LISTEN overrides the file's listen)", msg)
	} else {
		l.at(path, "%s", msg)
	}
	return false
}

// addressProblem is what is wrong with addr as an address to listen on,
// HOST:PORT, said after it, with EXAMPLE where an address to write goes;
// "" when nothing is. An IPv6 address to write is in quotes: pasted
// without them (listen: [::1]:8080), YAML read a [...] list.
func addressProblem(addr string) string {
	if n, err := strconv.Atoi(addr); err == nil && n >= 0 && n <= 65535 {
		return fmt.Sprintf(" is a port alone: write 127.0.0.1:%s (this host only, as behind a proxy on it) or :%s (every interface)", addr, addr)
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		switch {
		case strings.ContainsAny(addr, "[]"):
			return ` has a bracket that does not close: write HOST:PORT, as "[::1]:8080" for an IPv6 address (in quotes: YAML reads [...] as a list)`
		case !strings.Contains(addr, ":"):
			return " has no port: write HOST:PORT, as EXAMPLE"
		}
		i := strings.LastIndex(addr, ":")
		if ip, perr := netip.ParseAddr(addr[:i]); perr == nil && ip.Is6() {
			return ` is an IPv6 address without its brackets: write "` + net.JoinHostPort(addr[:i], addr[i+1:]) +
				`" (in quotes: YAML reads [...] as a list)`
		}
		return ` has more than one colon: write HOST:PORT, as EXAMPLE (an IPv6 address in brackets and quotes, as "[::1]:8080")`
	}
	if port == "" {
		return " has no port after its colon: write HOST:PORT, as EXAMPLE"
	}
	if n, err := strconv.Atoi(port); err == nil && (n < 0 || n > 65535) {
		return fmt.Sprintf(": port %s is out of range: a port is 1 to 65535 (e.g. EXAMPLE)", port)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Sprintf(": port %s is not a number: write HOST:PORT, as EXAMPLE", port)
	}
	return ""
}

// sameAddress reports whether listening on a and on b, both HOST:PORT,
// cannot be done at once: one port (not 0, a port the system picks), and
// one host, or a wildcard ("", 0.0.0.0, ::) on either side, which Linux
// refuses beside any other address of the port (Go's IPv6 sockets being
// dual-stack, 0.0.0.0 beside ::1 too). A host name other than localhost
// is not resolved: such a pair is not judged.
func sameAddress(a, b string) bool {
	hostA, portA, _ := net.SplitHostPort(a)
	hostB, portB, _ := net.SplitHostPort(b)
	pa, errA := net.LookupPort("tcp", portA)
	pb, errB := net.LookupPort("tcp", portB)
	if errA != nil || errB != nil || pa != pb || pa == 0 {
		return false
	}
	ipA, okA := hostIP(hostA)
	ipB, okB := hostIP(hostB)
	return okA && okB && (ipA == ipB || wildcard(ipA) || wildcard(ipB))
}

// wildcard reports whether ip is every address: "" (the zero Addr),
// 0.0.0.0 or ::.
func wildcard(ip netip.Addr) bool { return !ip.IsValid() || ip.IsUnspecified() }

// hostIP parses a listen host: "" (every address) as the zero Addr,
// localhost as 127.0.0.1 (where Go listens for it); false for another
// name.
func hostIP(host string) (netip.Addr, bool) {
	switch host {
	case "":
		return netip.Addr{}, true
	case "localhost":
		return netip.MustParseAddr("127.0.0.1"), true
	}
	ip, err := netip.ParseAddr(host)
	return ip.Unmap(), err == nil
}
