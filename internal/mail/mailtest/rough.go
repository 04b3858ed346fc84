package mailtest

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Rough is a plain-text SMTP server (no TLS, no authentication) that plays
// the rough edges of real servers which go-smtp's server is too polite to:
// one that hangs up right after it accepted a message, without answering
// another command (a server restarting, a proxy cutting the connection).
// Like Server, it refuses any address at refused.example (550).
type Rough struct {
	Host string
	Port int

	hangUp   bool
	mu       sync.Mutex
	cutData  bool          // hang up in the midst of a message's data
	mailFrom string        // the answer to MAIL FROM, "" for 250
	rcptTo   string        // the answer to RCPT TO, "" for 250 (550 at refused.example)
	greeting string        // the greeting, "" for 220
	hello    string        // the answer to EHLO and HELO, "" for 250
	accepted []string      // the recipients of each message accepted, joined by ","
	slow     time.Duration // how long to take over the answer to a message's data
	offers   []string      // extensions announced besides 8BITMIME
}

// Offer has the server announce extensions besides 8BITMIME in its EHLO
// answer, as "AUTH PLAIN LOGIN" (it takes no login all the same).
func (r *Rough) Offer(ext ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.offers = append(r.offers, ext...)
}

// SlowToAnswer makes the server take d to answer a message's data (a
// server scanning the attachment, or a busy one), as RFC 5321 allows up
// to 10 minutes.
func (r *Rough) SlowToAnswer(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.slow = d
}

// HangUpInData makes the server close the connection in the midst of a
// message's data, its first lines read, without answering: a server
// restarting, a proxy or firewall cutting a long connection.
func (r *Rough) HangUpInData() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cutData = true
}

// AnswerMailFrom makes the server answer MAIL FROM with line, as "451
// 4.7.1 rate limit, try again later"; one starting 421 closes the
// connection after it, as RFC 5321 has a server do.
func (r *Rough) AnswerMailFrom(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mailFrom = line
}

// AnswerRcptTo makes the server answer every RCPT TO with line, as "421
// 4.7.0 Temporary System Problem. Try again later" (Gmail's); one starting
// 421 closes the connection after it.
func (r *Rough) AnswerRcptTo(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rcptTo = line
}

// AnswerHello makes the server answer EHLO and HELO with line, as "550
// 5.7.1 <crm01>: Helo command rejected: need fully-qualified hostname"
// (Postfix's reject_non_fqdn_helo_hostname, said at once).
func (r *Rough) AnswerHello(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hello = line
}

// Greet makes the server greet with line rather than 220, and close the
// connection after it: "554 5.7.1 … blocked using zen.spamhaus.org", a
// server that takes no mail from this host.
func (r *Rough) Greet(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.greeting = line
}

// StartRough starts a Rough server on 127.0.0.1; with hangUp it closes the
// connection as soon as it has answered 250 to a message's data. It stops
// when the test ends.
func StartRough(t testing.TB, hangUp bool) *Rough {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(l.Addr().String())
	r := &Rough{Host: host, hangUp: hangUp}
	r.Port, _ = strconv.Atoi(port)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go r.serve(c)
		}
	}()
	t.Cleanup(func() { l.Close() })
	return r
}

// Accepted returns the recipients of each message the server accepted.
func (r *Rough) Accepted() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.accepted...)
}

// serve plays one SMTP session.
func (r *Rough) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	in := bufio.NewReader(c)
	say := func(line string) { _, _ = c.Write([]byte(line + "\r\n")) }
	r.mu.Lock()
	greeting := r.greeting
	r.mu.Unlock()
	if greeting != "" {
		say(greeting)
		return
	}
	say("220 rough ESMTP")
	var rcpts []string
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case (strings.HasPrefix(cmd, "EHLO") || strings.HasPrefix(cmd, "HELO")) && r.answersHello() != "":
			say(r.answersHello())
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			r.mu.Lock()
			lines := append([]string{"rough", "8BITMIME"}, r.offers...)
			r.mu.Unlock()
			for i, l := range lines {
				if i < len(lines)-1 {
					l = "-" + l
				} else {
					l = " " + l
				}
				say("250" + l)
			}
		case strings.HasPrefix(cmd, "RCPT TO:") && r.answersRcpt() != "":
			answer := r.answersRcpt()
			say(answer)
			if strings.HasPrefix(answer, "421") {
				return
			}
		case strings.HasPrefix(cmd, "RCPT TO:") && strings.HasSuffix(cmd, "@REFUSED.EXAMPLE>"):
			say("550 no such user")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			rcpts = append(rcpts, strings.Trim(strings.TrimSpace(line)[8:], "<> "))
			say("250 ok")
		case strings.HasPrefix(cmd, "DATA"):
			say("354 go ahead")
			r.mu.Lock()
			cut := r.cutData
			r.mu.Unlock()
			if cut {
				_, _ = in.ReadString('\n')
				return
			}
			if !skipData(in) {
				return
			}
			r.mu.Lock()
			r.accepted = append(r.accepted, strings.Join(rcpts, ","))
			slow := r.slow
			r.mu.Unlock()
			rcpts = nil
			time.Sleep(slow) // the message is the server's already: a client giving up now has it sent
			say("250 queued")
			if r.hangUp {
				return
			}
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			r.mu.Lock()
			answer := r.mailFrom
			r.mu.Unlock()
			if answer == "" {
				answer = "250 ok"
			}
			say(answer)
			if strings.HasPrefix(answer, "421") {
				return
			}
		case cmd == "STARTTLS": // it has no certificate: offered (Offer), it fails for now, as RFC 3207 has it said
			say("454 4.7.0 TLS not available due to local problem")
		case cmd == "QUIT":
			say("221 bye")
			return
		default: // MAIL, RSET, NOOP
			if strings.HasPrefix(cmd, "RSET") {
				rcpts = nil
			}
			say("250 ok")
		}
	}
}

// answersHello is what the server answers EHLO and HELO, "" when as usual.
func (r *Rough) answersHello() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.hello
}

// answersRcpt is what the server answers every RCPT TO, "" when as usual.
func (r *Rough) answersRcpt() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rcptTo
}

// skipData reads a message's data up to its closing dot; false when the
// connection ends first.
func skipData(in *bufio.Reader) bool {
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			return false
		}
		if line == ".\r\n" || line == ".\n" {
			return true
		}
	}
}
