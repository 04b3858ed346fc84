package main

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/metrics"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/systemd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// What the systemd status line can say needs attention, in the order it
// says them.
const (
	attnDatabase   = iota // the database file lost or found damaged under the daemon
	attnStore             // deliveries answered 503: the store fails, or its disk is full
	attnHeld              // the mapping files did not load at start: deliveries stored, none mapped
	attnMapping           // every mapping pass failing: leads wait unmapped
	attnQuarantine        // quarantined bodies waiting for a person
	attnUnmappable        // unmappable leads waiting for a person
	attnCRM               // the CRM adapter paused
	attnCRMDown           // every CRM call failing for crmDownAttention or more
	attnCRMStuck          // one batch the CRM never takes while it answers others
	attnReport            // a due report not made
	attnMail              // the last report's mail failed
	attnStale             // configuration or mapping files changed on disk, not reloaded
	attnRestart           // settings changed that only a restart takes
	attnKinds
)

// statusLine is the one line `systemctl status syncd` shows (sd_notify
// STATUS=): "serving on ADDR" while all is well, with since when every CRM
// call has failed during an outage, else what needs attention first, sent
// again whenever that changes. It is safe for concurrent use; a nil
// Notifier sends nothing.
type statusLine struct {
	n        *systemd.Notifier
	mu       sync.Mutex
	serving  string            // "serving on ADDR", once listening
	failing  string            // since when every CRM call has failed; "" while it answers
	attn     [attnKinds]string // what needs attention, by kind; "" for nothing
	sent     string
	storeBad atomic.Bool // attn[attnStore] is set: intake's fast path reads only this
	// instance puts the daemon's -config FILE and an agency's instance in
	// the commands the line names (forInstance); nil for the default file.
	instance *strings.Replacer
}

// forInstance has the line of the daemon serving file name the commands
// for it: "syncd status -config FILE" where file is not the default
// (configArg), and "systemctl restart syncd@NAME" where it is an agency's
// (/etc/syncd/NAME.yaml). The line said "syncd status", which on a server
// reads no file (or a checkout's example and its database) and then
// suggests /etc/syncd/syncd.yaml, another agency's, and "systemctl restart
// syncd", another daemon.
func (l *statusLine) forInstance(file string) *statusLine {
	var words []string
	if config := configArg(file); config != "" {
		words = append(words, "syncd status", "syncd status "+config)
	}
	if u := instanceUnit(file); u != "" {
		words = append(words, "systemctl restart syncd", "systemctl restart "+u, "systemctl reload syncd", "systemctl reload "+u)
	}
	if len(words) > 0 {
		l.instance = strings.NewReplacer(words...)
	}
	return l
}

// configArg is "-config FILE" of the configuration file a command or the
// daemon runs on, as the commands it says to run name it: absolute, quoted
// for the shell, so that they read it pasted in any directory; "" for the
// default file (defaultConfig), which a command pasted where the default
// was read reads too.
func configArg(file string) string {
	if file == "" || abs(file) == abs(defaultConfig) {
		return ""
	}
	return "-config " + shellescape.Quote(abs(file))
}

// diskFullLine is what the line says of a write refused for want of room,
// until a delivery is stored again or the daemon sees room (daemon.roomSeen).
const diskFullLine = "disk FULL: deliveries answered 503 (df -h)"

// diskFull reports whether the line says the disk is full: a write failed
// for want of room, and no delivery was stored since.
func (l *statusLine) diskFull() bool {
	if l == nil || !l.storeBad.Load() {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.attn[attnStore] == diskFullLine
}

// roomAgain takes "disk FULL" off the line (room is seen again), unless
// it says something else of the store by then.
func (l *statusLine) roomAgain() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.attn[attnStore] != diskFullLine {
		return
	}
	l.attn[attnStore] = ""
	l.storeBad.Store(false)
	l.send()
}

// set says what of kind needs attention ("" once it no longer does), and
// sends the line if it changed.
func (l *statusLine) set(kind int, what string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.attn[kind] = what
	if kind == attnStore {
		l.storeBad.Store(what != "")
	}
	l.send()
}

// servingOn sends the line of a daemon serving on addr.
func (l *statusLine) servingOn(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.serving = "serving on " + addr
	l.send()
}

// stoppingWords stand for "serving on ADDR" from the moment the daemon
// begins to stop until it exits.
const stoppingWords = "stopping: answering the deliveries in flight, then finishing the work under way"

// stopping tells systemd that the daemon has begun to stop (STOPPING=1)
// and shows it on the line, in one message, at once: it was said after
// the deliveries in flight were answered (up to 30 s), while the line
// said "serving on ADDR" to the end.
func (l *statusLine) stopping() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.serving == stoppingWords {
		return
	}
	l.serving = stoppingWords
	l.sent = l.compose()
	l.n.Notify("STOPPING=1", "STATUS="+l.sent)
}

// send sends the line if it changed; l.mu is held.
func (l *statusLine) send() {
	line := l.compose()
	if line == "" || line == l.sent {
		return
	}
	l.sent = line
	l.n.Status(line)
}

// compose is the line as it stands; l.mu is held.
func (l *statusLine) compose() string {
	var parts []string
	for kind, a := range l.attn {
		if a != "" && !(kind == attnStore && l.attn[attnDatabase] != "") { // a lost database says the 503s
			parts = append(parts, a)
		}
	}
	state := l.serving
	if l.failing != "" {
		state = strings.TrimPrefix(state+"; "+l.failing, "; ")
	}
	line := state
	if len(parts) > 0 {
		line = "ATTENTION: " + strings.Join(parts, "; ")
		if state != "" {
			line += " (" + state + ")"
		}
	}
	if l.instance != nil {
		line = l.instance.Replace(line)
	}
	return line
}

// paused shows (or clears) a pause of the CRM adapter: until when and the
// kind of reason, the text before its first ':' (the CRM's own words may
// follow, which the line does not show to every local user).
func (l *statusLine) paused(target string, p syncd.Pause, now time.Time) {
	if !p.Until.After(now) {
		l.set(attnCRM, "")
		return
	}
	why, _, _ := strings.Cut(p.Reason, ":")
	l.set(attnCRM, "CRM "+target+" PAUSED ("+why+"): syncd status")
}

// crmFailing shows (or, since zero, clears) since when every call to the
// CRM target has failed as a whole, as syncd status says it: a note beside
// "serving on" (the syncer retries by itself), and past crmDownAttention
// what needs attention, from the next call that fails (the syncer tries
// one every 10 minutes at most).
func (l *statusLine) crmFailing(target string, since time.Time, clk clock) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failing, l.attn[attnCRMDown] = "", ""
	switch {
	case since.IsZero():
	case time.Since(since) >= crmDownAttention:
		l.attn[attnCRMDown] = "CRM " + target + " FAILING every call since " + clk.show(since) + ": syncd status"
	default:
		l.failing = "CRM " + target + ": every call failing since " + clk.show(since) + ", retried by itself"
	}
	l.send()
}

// mappingStuck shows (or, since zero, clears) the mapping worker stuck:
// every pass failing since since.
func (l *statusLine) mappingStuck(since time.Time, clk clock) {
	what := ""
	if !since.IsZero() {
		what = "MAPPING STUCK since " + clk.show(since) + ", leads wait unmapped: syncd status"
	}
	l.set(attnMapping, what)
}

// reportNotMade shows (or, day "", clears) a due day's report the
// daemon's runs failed to make.
func (l *statusLine) reportNotMade(day string) {
	what := ""
	if day != "" {
		what = "REPORT of " + day + " NOT MADE: syncd status"
	}
	l.set(attnReport, what)
}

// mailed shows (or clears) a report mail failed, or refused for some
// recipients, as rec records it.
func (l *statusLine) mailed(rec report.Record) {
	what := ""
	if n := refusedCount(rec); rec.Mail == report.MailFailed {
		what = "last report mail FAILED: syncd status"
	} else if report.WaitsForServer(rec) != "" {
		what = "last report mail NOT SENT, the mail server not taking it: syncd status"
	} else if n > 0 {
		what = fmt.Sprintf("last report mail REFUSED for %s: syncd status", syncd.Counted(n, "recipient", "recipients"))
	}
	l.set(attnMail, what)
}

// statusObserver is the receiver's observer: the metrics, and on the
// status line deliveries answered 503 until one is stored again.
type statusObserver struct {
	*metrics.Metrics
	line        *statusLine
	quarantined func() // a body was quarantined; nil: nothing to tell
}

// ObserveIntake records a stored delivery: the store works again.
func (o statusObserver) ObserveIntake(source, outcome string, d time.Duration) {
	o.Metrics.ObserveIntake(source, outcome, d)
	o.stored()
}

// Quarantined records a stored quarantined body: the store works again,
// and it waits for a person (quarantined).
func (o statusObserver) Quarantined(source, reason string, d time.Duration) {
	o.Metrics.Quarantined(source, reason, d)
	o.stored()
	if o.quarantined != nil {
		o.quarantined()
	}
}

// Rejected records a refused delivery; one the store could not keep shows
// on the status line.
func (o statusObserver) Rejected(source, reason string) {
	o.Metrics.Rejected(source, reason)
	if webhook.NotStored(reason) && !o.line.storeBad.Load() {
		o.line.set(attnStore, "deliveries answered 503: the store fails (log, df -h)")
	}
}

func (o statusObserver) stored() {
	if o.line.storeBad.Load() {
		o.line.set(attnStore, "")
	}
}
