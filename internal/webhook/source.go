package webhook

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Source is one configured sender, reached at POST /hooks/{Name}/{token}.
type Source struct {
	Name   string
	Kind   syncd.Kind
	Tokens []string // every token valid now; several during rotation
	// BasicUser and BasicPass, when set, require HTTP Basic auth as well.
	BasicUser, BasicPass string
	// AllowIPs, when not empty, admits only clients in these prefixes.
	AllowIPs []netip.Prefix

	// The SHA-256 digests of Tokens, BasicUser and BasicPass, made once
	// when the sources are set: the checks compare digests, whose length
	// is fixed, so that no secret's length leaks by timing either.
	tokenSums        []digest
	userSum, passSum digest
}

type digest = [sha256.Size]byte

// hashSecrets makes the digests the checks compare.
func (s *Source) hashSecrets() {
	s.tokenSums = make([]digest, len(s.Tokens))
	for i, t := range s.Tokens {
		s.tokenSums[i] = sha256.Sum256([]byte(t))
	}
	s.userSum, s.passSum = sha256.Sum256([]byte(s.BasicUser)), sha256.Sum256([]byte(s.BasicPass))
}

// tokenAt compares the path token's digest with every configured token's
// in constant time, so that neither a token's content, its length nor
// which one matched leaks by timing, and returns the position (from 1) in
// Tokens of the one it is, or 0: during a rotation the summary line counts
// each token's deliveries.
func (s *Source) tokenAt(tok string) int {
	sum := sha256.Sum256([]byte(tok))
	at := 0
	for i := range s.tokenSums {
		at = subtle.ConstantTimeSelect(subtle.ConstantTimeCompare(s.tokenSums[i][:], sum[:]), i+1, at)
	}
	return at
}

// basicOK checks HTTP Basic auth when the source requires it, comparing
// digests as tokenAt does.
func (s *Source) basicOK(r *http.Request) bool {
	if s.BasicUser == "" {
		return true
	}
	u, p, ok := basicAuth(r)
	us, ps := sha256.Sum256([]byte(u)), sha256.Sum256([]byte(p))
	userOK := subtle.ConstantTimeCompare(us[:], s.userSum[:])
	passOK := subtle.ConstantTimeCompare(ps[:], s.passSum[:])
	return ok && userOK&passOK == 1
}

// basicAuth reads the user and password of a request's Authorization
// header of the Basic scheme as RFC 7235 and 7617 write it: the scheme in
// any case, one or more spaces (1*SP; tabs too), then the base64 of
// user:password. net/http's Request.BasicAuth takes exactly one space: a
// sender's client writing two was refused 401 at every retry, with the
// right password.
func basicAuth(r *http.Request) (user, pass string, ok bool) {
	h := r.Header.Get("Authorization")
	sp := strings.IndexAny(h, " \t")
	if sp < 0 || !strings.EqualFold(h[:sp], "Basic") {
		return "", "", false
	}
	c, err := base64.StdEncoding.DecodeString(strings.TrimLeft(h[sp:], " \t"))
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(c), ":")
}

// ipOK checks the allowlist.
func (s *Source) ipOK(ip netip.Addr) bool {
	if len(s.AllowIPs) == 0 {
		return true
	}
	for _, p := range s.AllowIPs {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// clientIP is the address of the client: the peer, or, when the peer is a
// trusted proxy, the right-most X-Forwarded-For entry that is not itself a
// trusted proxy (entries further left can be forged by the client).
//
// Each address is judged without its IPv6 zone: a peer on the link (a
// proxy at fe80::1) comes with its interface's (fe80::1%eth0), which is
// in no prefix, so a proxy in trusted_proxies as fe80::/10 was judged
// itself, and a sender listed in allow_ips refused.
func clientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	ip = ip.Unmap().WithZone("")
	if !inAny(ip, trusted) {
		return ip
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := hopAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return ip // a malformed chain: trust only what we saw ourselves
		}
		hop = hop.Unmap().WithZone("")
		if !inAny(hop, trusted) {
			return hop
		}
		ip = hop
	}
	return ip
}

// hopAddr is the address of one X-Forwarded-For entry: an address, or an
// address and port as some load balancers (Azure's Application Gateway)
// write it ("203.0.113.9:51234", "[2001:db8::1]:51234").
func hopAddr(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err == nil {
		return a, nil
	}
	ap, perr := netip.ParseAddrPort(s)
	if perr != nil {
		return netip.Addr{}, err
	}
	return ap.Addr(), nil
}

func inAny(ip netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
