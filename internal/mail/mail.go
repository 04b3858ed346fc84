// Package mail sends syncd's messages over SMTP with wneessen/go-mail:
// plain text, optionally with an HTML alternative, with files attached, STARTTLS (or implicit TLS) as
// configured, and SMTP authentication. The password arrives as a string;
// reading it from a file or a systemd credential is the config layer's job.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes.
const (
	TLSStartTLS      = "starttls"      // STARTTLS required (the default)
	TLSOpportunistic = "opportunistic" // STARTTLS when the server offers it
	TLSImplicit      = "tls"           // TLS from the first byte (SMTPS, port 465)
	TLSNone          = "none"          // plain text; only for a local relay
)

// Options configure a Sender. Host, From and at least one of To are
// required.
type Options struct {
	Host string
	Port int    // default 587, or 465 with TLSImplicit
	TLS  string // starttls (default) | opportunistic | tls | none
	// TLSConfig overrides the TLS settings, e.g. RootCAs for a private CA;
	// its ServerName defaults to Host.
	TLSConfig *tls.Config
	Username  string
	Password  string
	// Auth is the SASL mechanism: PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256,
	// ... (go-mail's names). Empty means the strongest the server offers
	// when Username is set (without TLS, PLAIN and LOGIN only to a relay
	// on this host: the password is sent readable), and none otherwise.
	Auth    string
	From    string        // sender address, e.g. "syncd <syncd@example.com>"
	To      []string      // recipients
	Timeout time.Duration // to connect, greet, start TLS and log in; default 30s
	// SendTimeout bounds each message, from MAIL FROM to the server's
	// answer to its data; default 10 minutes, the wait RFC 5321 gives that
	// answer: a server scanning the attachment takes its time, and a
	// client that gives up before it has the message sent again.
	SendTimeout time.Duration
	// HELO is the name given in EHLO/HELO; default HelloName of the
	// machine's name and From.
	HELO string
	// Mailer is what the User-Agent and X-Mailer headers say, e.g.
	// "syncd 1.4.2"; "" leaves them out (go-mail's default names the
	// library and its version to every recipient).
	Mailer string
}

// Sender sends messages with one configuration. It is safe for concurrent
// use: each Send makes its own connection.
type Sender struct {
	opts Options
	auth gomail.SMTPAuthType
	tls  gomail.TLSPolicy
}

// New checks opts and returns a Sender.
func New(opts Options) (*Sender, error) {
	// Domains in ASCII first, so that an address written both ways is one.
	opts.To = onceEach(asciiDomains(opts.To))
	opts.From = asciiDomain(opts.From)
	if opts.HELO == "" {
		host, _ := os.Hostname()
		opts.HELO = HelloName(host, opts.From)
	}
	s := &Sender{opts: opts}
	var errs []error
	if opts.Host == "" {
		errs = append(errs, errors.New("no host"))
	}
	if opts.From == "" {
		errs = append(errs, errors.New("no sender address"))
	}
	if len(opts.To) == 0 {
		errs = append(errs, errors.New("no recipients"))
	}
	switch opts.TLS {
	case "", TLSStartTLS, TLSImplicit:
		s.tls = gomail.TLSMandatory
	case TLSOpportunistic:
		s.tls = gomail.TLSOpportunistic
	case TLSNone:
		s.tls = gomail.NoTLS
	default:
		errs = append(errs, fmt.Errorf("tls %q: want starttls, opportunistic, tls or none", opts.TLS))
	}
	switch {
	case opts.Auth != "":
		if err := s.auth.UnmarshalString(opts.Auth); err != nil {
			errs = append(errs, fmt.Errorf("auth %q: %w", opts.Auth, err))
		}
	case opts.Username != "":
		s.auth = gomail.SMTPAuthAutoDiscover
	}
	if s.opts.Port == 0 {
		s.opts.Port = 587
		if opts.TLS == TLSImplicit {
			s.opts.Port = 465
		}
	}
	if s.opts.Timeout <= 0 {
		s.opts.Timeout = 30 * time.Second
	}
	if s.opts.SendTimeout <= 0 {
		s.opts.SendTimeout = 10 * time.Minute
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	return s, nil
}

// Send mails a plain-text message with the files at attachments attached
// to every recipient, in one SMTP session.
func (s *Sender) Send(ctx context.Context, subject, body string, attachments ...string) error {
	return s.SendHTML(ctx, subject, body, "", attachments...)
}

// SendHTML mails a message as plain text and, when html is not "", as HTML
// too (multipart/alternative: the reader's program picks one), with the
// files at attachments attached, to every recipient in one SMTP session.
// When the server refuses some of several recipients, the message goes to
// each of the others on its own and the error says so (see Partial): who
// was refused for good (Refusals), and who only for now (Pending, to send
// to again with SendHTMLTo).
func (s *Sender) SendHTML(ctx context.Context, subject, text, html string, attachments ...string) error {
	m, err := s.message(s.opts.To, subject, text, html, attachments)
	if err != nil {
		return err
	}
	_, err = s.session(ctx, m)
	if err == nil || m.IsDelivered() {
		// Accepted (250 to its data): what failed after it, the RSET or
		// QUIT of a server that hung up, does not unsend it, and
		// reporting it would have it sent again.
		return nil
	}
	if Misfit(err) { // says already which server and what to change
		return err
	}
	if why := tooLarge(err); why != "" {
		return s.tooLargeError(why, err)
	}
	if why := s.refusedSender(err); why != nil {
		return &Error{Err: fmt.Errorf("mail %s: %w", s.server(), why), Setting: true}
	}
	var ascii *asciiOnlyError
	if errors.As(err, &ascii) && ascii.from != "" {
		return &Error{Err: fmt.Errorf("mail %s: %w", s.server(), ascii), Setting: true}
	}
	var se *gomail.SendError
	// A recipient refused must not cost the others their copy. go-mail
	// keeps the last answer's code alone: each copy apart has its own.
	// A recipient the server cannot be sent to (asciiOnlyError) is one.
	if len(s.opts.To) > 1 && (ascii != nil && len(ascii.to) < len(s.opts.To) || errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo) {
		err := s.sendEach(ctx, subject, text, html, attachments)
		if why := tooLarge(err); why != "" && !Partial(err) {
			return s.tooLargeError(why, err)
		}
		return err
	}
	if relayRefused(err) { // the only recipient: the login or the server is to change
		return &Error{Err: fmt.Errorf("mail %s: %w", s.server(), err), Setting: true}
	}
	return s.fail(err)
}

// SendHTMLTo sends the message as SendHTML does, to the addresses in to
// instead of the configured recipients: those a message was Pending for.
func (s *Sender) SendHTMLTo(ctx context.Context, to []string, subject, text, html string, attachments ...string) error {
	c := *s
	if c.opts.To = onceEach(asciiDomains(to)); len(c.opts.To) == 0 {
		return errors.New("mail: no recipients")
	}
	return c.SendHTML(ctx, subject, text, html, attachments...)
}

// sendEach sends the message to each recipient apart, in one session, so
// that an address the server refuses costs only its own copy, and each
// copy has the server's own answer: refused for good (5xx), or for now.
func (s *Sender) sendEach(ctx context.Context, subject, text, html string, attachments []string) error {
	msgs := make([]*gomail.Msg, len(s.opts.To))
	for i, to := range s.opts.To {
		m, err := s.message([]string{to}, subject, text, html, attachments)
		if err != nil {
			return err
		}
		msgs[i] = m
	}
	unsent, err := s.session(ctx, msgs...)
	sent, relay := 0, 0
	var refused, waiting, later []string
	for i, m := range msgs {
		var ascii *asciiOnlyError
		switch said := s.opts.To[i] + " (" + answer(m.SendError()) + ")"; {
		case m.IsDelivered(): // accepted, though a later command may have failed
			sent++
		case errors.As(unsent[m], &ascii): // not sent, nor to be sent later
			refused = append(refused, s.opts.To[i]+" ("+ascii.refusal()+")")
		case relayRefused(m.SendError()):
			relay++
			refused = append(refused, s.opts.To[i]+" ("+answer(m.SendError())+": "+s.relayAdvice()+")")
		case m.SendError() != nil && !temporary(m.SendError()):
			refused = append(refused, said)
		default: // answered for now, or not tried: the session ended first
			waiting, later = append(waiting, said), append(later, s.opts.To[i])
		}
	}
	if err == nil || sent == len(msgs) {
		return nil
	}
	if sent == 0 { // nobody has it: the whole message again, if any was only for now
		// Each refused as the server does not relay there: the login or
		// the server is to change, not the addresses.
		return &Error{Err: fmt.Errorf("mail %s: %w", s.server(), err), Temp: len(later) > 0,
			Setting: relay == len(msgs)}
	}
	why := fmt.Sprintf("sent to %d of %d recipients", sent, len(msgs))
	if len(refused) > 0 {
		why += fmt.Sprintf(", refused for %d: %s", len(refused), strings.Join(refused, "; "))
	}
	if len(waiting) > 0 {
		why += fmt.Sprintf(", not yet for %d (worth trying again): %s", len(waiting), strings.Join(waiting, "; "))
	}
	return &Error{Err: fmt.Errorf("mail %s: %s", s.server(), why), Sent: true,
		Refused: refused, Waiting: waiting, Later: later, Temp: len(later) > 0}
}

// stopGrace is how long a session told to stop may go on: a server's
// answer to a message's data within it counts (well within systemd's
// TimeoutStopSec, 45 s in syncd's unit).
const stopGrace = 10 * time.Second

// session sends msgs in one SMTP session: connecting, greeting, STARTTLS
// and login bounded by Timeout, each message by SendTimeout (go-mail's one
// timeout bounds both, so a server slower than it to answer a message's
// data had the message while syncd counted it failed). Ending ctx ends
// the session. unsent holds each message not tried, with why: one larger
// than the server takes, one with an address it cannot be sent
// (asciiOnlyError).
func (s *Sender) session(ctx context.Context, msgs ...*gomail.Msg) (unsent map[*gomail.Msg]error, err error) {
	dialer, err := gomail.NewClient(s.clientHost(), s.clientOptions(s.opts.Timeout)...)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	sender, err := gomail.NewClient(s.clientHost(), s.clientOptions(s.opts.SendTimeout)...)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	conn, err := dialer.DialToSMTPClientWithContext(ctx)
	if err != nil {
		if why := s.misfit(ctx, err); why != nil {
			return nil, &Error{Err: fmt.Errorf("mail %s: %w", s.server(), why), Setting: true}
		}
		return nil, s.dialProblem(err)
	}
	// Told to stop, the session has stopGrace to end: a server answering
	// within it has the message counted, not sent again at the next start.
	// Then the connection closes under the command waiting (conn.Close
	// would wait for it).
	var mu sync.Mutex
	var cut *time.Timer
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		cut = time.AfterFunc(stopGrace, func() { _ = conn.Text.Close() })
	})
	defer func() {
		if !stop() {
			mu.Lock()
			if cut != nil {
				cut.Stop()
			}
			mu.Unlock()
		}
		_ = conn.UpdateDeadline(s.opts.Timeout) // for QUIT
		// Closing a connection a message's trouble ended already fails
		// too: the same trouble, said again in go-mail's words.
		if cerr := dialer.CloseWithSMTPClient(conn); cerr != nil && err == nil {
			err = fmt.Errorf("failed to close connection: %w", cerr)
		}
	}()
	var errs, hungErrs []error
	var hung []string // the recipients of copies not tried: the connection had ended
	unsent = map[*gomail.Msg]error{}
	limit := sizeLimit(conn)
	utf8Offered, _ := conn.Extension("SMTPUTF8")
	for _, m := range msgs { // one at a time: each has SendTimeout
		if err := fits(m, limit); err != nil {
			errs, unsent[m] = append(errs, err), err
			continue
		}
		utf8, err := needsSMTPUTF8(m, utf8Offered)
		if err != nil {
			errs, unsent[m] = append(errs, err), err
			continue
		}
		// Declared for a message that needs it alone (go-mail declared it
		// for every one the server offered it to): a relay that passes a
		// message on keeps it, and one declared where the next server
		// offers no SMTPUTF8 may be returned undelivered.
		conn.SkipSMTPUTF8(!utf8)
		if err := sender.SendWithSMTPClient(conn, m); err != nil {
			to, _ := m.GetRecipients()
			var se *gomail.SendError
			if errors.As(err, &se) && se.Reason == gomail.ErrConnCheck { // said once for all, below
				hung, hungErrs = append(hung, to...), append(hungErrs, err)
				continue
			}
			errs = append(errs, s.sendProblem(err, to))
		}
	}
	if len(hung) > 0 { // the copies after the server hung up (a 421): not tried
		for i, a := range hung {
			hung[i] = strings.Trim(a, "<>")
		}
		errs = append(errs, plainf(errors.Join(hungErrs...), "not sent to %s: the server had ended the connection",
			strings.Join(hung, ", ")))
	}
	if err := joinPlain(errs); err != nil {
		if ctx.Err() != nil { // the session was ended, not failed
			return unsent, fmt.Errorf("send stopped: %w", errors.Join(ctx.Err(), err))
		}
		return unsent, err
	}
	return unsent, nil
}

// onceEach is to with each address once, as first written: a list naming
// a person twice (in other case, or once with a name) would have the
// server deliver the message twice, and the copies sent apart (sendEach)
// went twice.
func onceEach(to []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range to {
		key := a
		if p, err := netmail.ParseAddress(a); err == nil {
			key = p.Address
		}
		if key = strings.ToLower(key); !seen[key] {
			seen[key] = true
			out = append(out, a)
		}
	}
	return out
}

// answer is what the server said to a message it did not take, as
// "550 5.1.1 no such user", without go-mail's wording around it.
func answer(err error) string {
	if err == nil {
		return "not sent"
	}
	text := err.Error()
	var se *gomail.SendError
	if errors.As(err, &se) {
		text = strings.TrimPrefix(text, se.Reason.String()+": ")
	}
	text, _, _ = strings.Cut(text, ", affected recipient")
	text, _, _ = strings.Cut(text, ", affected message ID")
	// 550 "5.1.1 no such user", perhaps with what the RSET after it met
	// (", EOF" from a server that hung up after a 421): the answer alone.
	if code, quoted, ok := strings.Cut(text, " "); ok {
		if q, err := strconv.QuotedPrefix(quoted); err == nil {
			if msg, err := strconv.Unquote(q); err == nil {
				text = code + " " + msg
			}
		}
	}
	return text
}

// message builds one message to the addresses in to.
func (s *Sender) message(to []string, subject, text, html string, attachments []string) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if s.opts.Mailer != "" {
		m.SetUserAgent(s.opts.Mailer)
	}
	if err := m.From(s.opts.From); err != nil {
		return nil, fmt.Errorf("mail from: %w", err)
	}
	if err := m.To(to...); err != nil {
		return nil, fmt.Errorf("mail to: %w", err)
	}
	m.Subject(subject)
	m.SetDate()
	m.SetMessageIDWithValue(messageID(s.opts.From))
	// Made by a program, every day: a recipient's out-of-office or other
	// automatic reply would go back to the sender each time. RFC 3834's
	// label stops those that follow it (Sieve's vacation, RFC 5230),
	// Microsoft's stops Exchange's and Outlook's; delivery and
	// non-delivery reports still come back.
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "OOF, AutoReply")
	// Its lines broken to fit a mail window, joined again by programs that
	// read format=flowed (flowed); go-mail adds "; charset=UTF-8".
	m.SetBodyString(gomail.TypeTextPlain+"; format=flowed", flowed(text))
	if html != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, html)
	}
	for _, path := range attachments {
		m.AttachFile(path, gomail.WithFileName(filepath.Base(path)),
			gomail.WithFileContentType(contentType(path)))
	}
	return m, nil
}

func (s *Sender) fail(err error) error {
	return &Error{Err: fmt.Errorf("mail %s: %w", s.server(), err), Temp: temporary(err)}
}

// clientOptions are go-mail's options for a client whose connection
// deadline is timeout.
func (s *Sender) clientOptions(timeout time.Duration) []gomail.Option {
	o := s.greetOptions(timeout, s.tls)
	switch {
	case s.auth == gomail.SMTPAuthAutoDiscover && s.tls != gomail.TLSMandatory && onThisHost(s.opts.Host):
		// Perhaps without TLS, to a relay on this host: PLAIN or LOGIN
		// too, which go-mail's discovery leaves out there.
		o = append(o, gomail.WithSMTPAuthCustom(&localLogin{user: s.opts.Username, pass: s.opts.Password, host: s.clientHost()}))
	case s.auth != "" && s.auth != gomail.SMTPAuthNoAuth:
		o = append(o, gomail.WithSMTPAuth(s.auth),
			gomail.WithUsername(s.opts.Username), gomail.WithPassword(s.opts.Password))
	}
	return o
}

// server is the mail server as errors name it, HOST:PORT, an IPv6
// address in brackets ([::1]:25) as ss and curl write it: "::1:25" reads
// as an address alone.
func (s *Sender) server() string {
	return net.JoinHostPort(s.opts.Host, strconv.Itoa(s.opts.Port))
}

// clientHost is Host as go-mail takes it: go-mail joins host and port
// with a colon ("%s:%d"), so an IPv6 address (host: ::1, as the
// configuration takes it) was dialled as "::1:25", "too many colons in
// address", and no mail went; in brackets it dials [::1]:25. Its login
// and TLS read the name as given alike (tlsConfig names the server
// without brackets, for its certificate).
func (s *Sender) clientHost() string {
	if strings.Contains(s.opts.Host, ":") && !strings.HasPrefix(s.opts.Host, "[") {
		return "[" + s.opts.Host + "]"
	}
	return s.opts.Host
}

// greetOptions are go-mail's options for a client that connects and
// greets the server with STARTTLS as policy says (TLS from the first byte
// with TLSImplicit), and no login.
func (s *Sender) greetOptions(timeout time.Duration, policy gomail.TLSPolicy) []gomail.Option {
	o := []gomail.Option{
		gomail.WithPort(s.opts.Port),
		gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(s.tlsConfig()),
	}
	if s.opts.TLS == TLSImplicit {
		o = append(o, gomail.WithSSL())
	} else {
		o = append(o, gomail.WithTLSPolicy(policy))
	}
	if s.opts.HELO != "" {
		o = append(o, gomail.WithHELO(s.opts.HELO))
	}
	return o
}

// tlsConfig is the TLS settings: Options.TLSConfig's or the defaults,
// the server's name Host unless they give one.
func (s *Sender) tlsConfig() *tls.Config {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.opts.TLSConfig != nil {
		tc = s.opts.TLSConfig.Clone()
	}
	if tc.ServerName == "" {
		tc.ServerName = s.opts.Host
	}
	return tc
}

// contentType is the MIME type of an attachment, by its extension.
func contentType(path string) gomail.ContentType {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".csv":
		return "text/csv"
	default:
		return gomail.TypeAppOctetStream
	}
}

// Error is a failed Send. It says whether trying again may help, and
// whether the message reached some of the recipients all the same.
type Error struct {
	Err  error
	Temp bool // when Sent: some recipients are Pending
	Sent bool // some recipients got the message; the others were refused
	// Setting is true when the settings do not fit what the server offers
	// (STARTTLS, a login, relaying to the recipients' domains without one,
	// SMTPUTF8 for the sender): the error says which to change (see Misfit).
	Setting bool
	// Refused names, when Sent, each recipient the server refused for
	// good (5xx), with its answer: "gone@example.com (550 5.1.1 no such user)".
	Refused []string
	// Waiting names, when Sent, each recipient the server refused only for
	// now (4xx), or that the session ended before, with its answer; Later
	// their addresses (see Pending).
	Waiting, Later []string
	// Big says, when the message is larger than the server takes, how
	// much larger ("28 kB with it, where the server takes up to 8 kB"), or
	// what the server answered ("552 5.3.4 message too big for system").
	Big string
}

func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Temporary reports whether trying again may help: false when the server
// refused with a 5xx answer (a bad recipient, failed authentication), true
// for 4xx answers and network or TLS trouble.
func (e *Error) Temporary() bool { return e.Temp }

// Misfit reports whether the settings do not fit what the server offers
// (see the function Misfit).
func (e *Error) Misfit() bool { return e.Setting }

// Partial reports whether the message reached some recipients though the
// server refused others: sending again would mail those twice.
func (e *Error) Partial() bool { return e.Sent }

// Refusals names the recipients the server refused, with its answer to
// each, when the message reached the others (see Partial); nil otherwise.
func (e *Error) Refusals() []string { return e.Refused }

// Pending names the recipients the server refused only for now (a 4xx
// answer: greylisting, a full mailbox) when the message reached others
// (see Partial), as addresses to send to again with SendHTMLTo; nil
// otherwise. Waiting says them with the server's answers.
func (e *Error) Pending() []string { return e.Later }

// Deferrals says each recipient Pending names with the server's answer:
// "d@example.com (450 4.7.1 greylisted, try again later)".
func (e *Error) Deferrals() []string { return e.Waiting }

// TooLarge says, when the message was not sent as larger than the server
// takes (its SIZE, RFC 1870, or a 552 answer), how much larger or what the
// server answered; "" otherwise. Sent without its attachments, it may go.
func (e *Error) TooLarge() string { return e.Big }

// Partial reports whether err, from Send, says the message reached some of
// its recipients (see Error.Partial); false for nil.
func Partial(err error) bool {
	var me *Error
	return errors.As(err, &me) && me.Sent
}

// Temporary reports whether err, from Send, is worth retrying (see
// Error.Temporary); false for nil.
func Temporary(err error) bool {
	if err == nil {
		return false
	}
	var me *Error
	if errors.As(err, &me) {
		return me.Temp
	}
	return temporary(err)
}

func temporary(err error) bool {
	var tl *tooLargeError
	var ascii *asciiOnlyError
	if Misfit(err) || errors.As(err, &tl) || errors.As(err, &ascii) {
		return false
	}
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 {
		return mailboxFull(enhancedCode(se))
	}
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		code, _, _ := strings.Cut(te.Msg, " ")
		return mailboxFull(code)
	}
	return true
}

// enhancedCode is the enhanced status code of the server's answer in se
// ("5.2.2"): go-mail's, or the answer's first word after its code, as a
// server that does not announce ENHANCEDSTATUSCODES may write it all the
// same; "" when it has none.
func enhancedCode(se *gomail.SendError) string {
	if code := se.EnhancedStatusCode(); code != "" {
		return code
	}
	f := strings.Fields(answer(se))
	if len(f) > 1 && len(f[1]) >= 5 && f[1][1] == '.' && strings.Count(f[1], ".") == 2 {
		return f[1]
	}
	return ""
}

// mailboxFull reports whether code, a 5xx answer's enhanced status code,
// says the recipient's mailbox is full (X.2.2, RFC 3463: Gmail and
// Exchange answer 552 5.2.2 "over quota"): the address is right, and the
// mailbox takes mail again once its owner makes room, so it is tried again
// as a 4xx is (RFC 5321, 4.5.3.1.10, has a client take a 552 to RCPT so).
func mailboxFull(code string) bool {
	return code == "5.2.2"
}
