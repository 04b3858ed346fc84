package config

import (
	"net"
	"strconv"
	"strings"
)

// validateMailHost: report.mail.host is the server's name (or address)
// alone. One written as a URL, as other programs take it
// (smtp://user:password@smtp.example.com:587), loaded, failed every mail
// ("too many colons in address"), and the warnings and errors that name
// the host quoted it whole, the password with it, in validate's output and
// the daemon's log. It is refused, said without what is before the name
// or after it, with what to write in its place.
func (l *loader) validateMailHost(m Mail) {
	name := shownHost(m.Host)
	if name == m.Host {
		l.mailHostAlone(m.Host)
		return
	}
	write := "host: " + name
	if h, p, err := net.SplitHostPort(name); err == nil && h != "" {
		write = "host: " + h + " and port: " + p
	}
	l.at([]string{"report", "mail", "host"}, "report.mail.host %s is written with more than the server's name "+
		"(a scheme, a login or a path; not shown here: it may hold the password): write %s, "+
		"and the login in username: and password_file:", name, write)
}

// mailHostAlone: report.mail.host written with its port
// (smtp.example.com:587) or an IPv6 address in brackets ([::1]) loaded,
// and every mail then went to "[smtp.example.com:587]:587", which no
// resolver knows. The port is report.mail.port's.
func (l *loader) mailHostAlone(host string) {
	path := []string{"report", "mail", "host"}
	if h, p, err := net.SplitHostPort(host); err == nil && h != "" && p != "" {
		if n, err := net.LookupPort("tcp", p); err == nil {
			p = strconv.Itoa(n)
		}
		l.at(path, "report.mail.host %s has a port in it: write host: %s and port: %s", host, h, p)
		return
	}
	if strings.ContainsAny(host, "[]") {
		l.at(path, "report.mail.host %s is written in brackets: write host: %s", host, strings.Trim(host, "[]"))
	}
}

// shownHost is the server's name in report.mail.host as a problem says
// it: without a scheme (smtp://), a login before an @, or a path, query or
// fragment after it; with its port, if written.
func shownHost(raw string) string {
	s := raw
	if _, rest, ok := strings.Cut(s, "://"); ok {
		s = rest
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	return s
}
