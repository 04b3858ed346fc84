package mail

import "strings"

// HelloName is the name syncd greets a mail server with (EHLO) when none is
// configured: host, the machine's name, when it is fully qualified, else
// the domain of from, the sender's address; "" (go-mail's default, the
// machine's name as it is) when neither is. RFC 5321 asks for a fully
// qualified domain name, and servers hardened against spam refuse a short
// one (Postfix's reject_non_fqdn_helo_hostname), which go-mail gave
// whenever the machine's name was short ("crm01"): the report was never
// mailed.
func HelloName(host, from string) string {
	if h := strings.TrimSuffix(host, "."); strings.Contains(h, ".") && !strings.HasPrefix(h, "localhost.") {
		return h
	}
	return domainOf(from)
}
