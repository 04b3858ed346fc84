package config

import (
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"strings"
)

// ParsePrefix parses a CIDR, or a bare address as a one-address prefix.
func ParsePrefix(s string) (netip.Prefix, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	return p.Masked(), err
}

// hostName is what a host name looks like, not an address: letters,
// digits, dots and hyphens, with a letter in it.
var hostName = regexp.MustCompile(`^[A-Za-z0-9.-]*[A-Za-z][A-Za-z0-9.-]*$`)

// notPrefix says why s, which ParsePrefix refused with err, is not an
// address or a CIDR, and what to write: netip's own words named its
// function ("netip.ParsePrefix(\"10.0.0.0/33\"): prefix length out of
// range") and no fix.
func notPrefix(s string, err error) string {
	if !strings.Contains(s, "/") { // an address: ParsePrefix's "no '/'" is not why
		_, err = netip.ParseAddr(s)
	}
	if h, _, err := net.SplitHostPort(s); err == nil {
		if _, aerr := netip.ParseAddr(h); aerr == nil { // a listen address's form, "10.0.0.1:80"
			return fmt.Sprintf("%q has a port, which is no part of an address here: write %s", s, h)
		}
	}
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		if _, aerr := netip.ParseAddr(s[1 : len(s)-1]); aerr == nil {
			return fmt.Sprintf("%q is in brackets: write %s", s, s[1:len(s)-1])
		}
	}
	if a, bits, ok := strings.Cut(s, "/"); ok && !strings.Contains(bits, "/") {
		if _, aerr := netip.ParseAddr(a); aerr == nil && (bits == "" || strings.Trim(bits, "0123456789") != "") {
			return fmt.Sprintf("%q has no number of bits after its /: write a CIDR, as 192.0.2.0/24", s)
		}
	}
	why := err.Error()
	if i := strings.LastIndex(why, "): "); i >= 0 {
		why = why[i+3:]
	}
	msg := fmt.Sprintf("%q is not an IP address or a CIDR (%s): write an address, as 192.0.2.10, or a CIDR, as 192.0.2.0/24", s, why)
	if a, _, ok := strings.Cut(s, "/"); ok && strings.Contains(why, "prefix length") {
		if ip, err := netip.ParseAddr(a); err == nil {
			msg += fmt.Sprintf(" (after the / at most %d for an %s address)", ip.BitLen(), map[bool]string{true: "IPv4", false: "IPv6"}[ip.Is4()])
		}
	}
	if hostName.MatchString(s) {
		msg = fmt.Sprintf("%q is a host name, which is not looked up: write its IP address, as 192.0.2.10, or a CIDR, as 192.0.2.0/24", s)
	}
	return msg
}
