package report

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/sender"
)

// Status of a failing listing by the end of the day.
// A listing whose last submission only timed out or found the portal busy
// is still failing too (errorCodes says why): there is no third status.
const (
	statusFailing = "Still failing"
	statusFixed   = "Fixed"
)

// failureColumns are the Portal failures sheet's columns. The errors and
// what to do about them take what the others leave of one page wide at
// four fifths of its size (stretch), and give up, down to their Min, what
// the others take past it (shrink): a portal's name syncd does not know
// ("Rightmove_commercial"), a property's reference of 13 digits, "out of
// range" and the portal's reference made of them show whole, up to 24, 16
// and 26 wide (at 12, 9 and 20 they wrapped mid-word, "123456789\n0"),
// and with every column at its widest the page still prints at 80%. Times
// of the report's day show as hh:mm, and take that width.
var failureColumns = []column{
	{Title: "Status", Min: 12, Max: 12},
	{Title: "Portal", Min: 8, Max: 24},
	{Title: "Property", Min: 8, Max: 16},
	{Title: "Portal ref", Min: 10, Max: 26},
	{Title: "Action", Min: 7, Max: 7},
	{Title: "Submitted at", Min: 6, Max: 22}, // another day's with its date, and its zone where it could read two ways (dayTime)
	{Title: "Failed", Min: 6, Max: 7},
	{Title: "Errors", Min: 24, Max: 44, Stretch: true},
	{Title: "What to do", Min: 24, Max: 41, Stretch: true},
	{Title: "Fixed at", Min: 8, Max: 22}, // its title on one line, not "at" under "Fixed" over hh:mm
	{Title: "Listing", Min: 8, Max: 12},
	// Submitted at and Fixed at with their dates (yyyy-mm-dd hh:mm): the
	// report's day shows hh:mm alone, so a week of these sheets pasted
	// into one showed no row's day. They do not print: the footer names
	// the day.
	{Title: "Submitted on", Min: 17, Max: 22},
	{Title: "Fixed on", Min: 17, Max: 22},
}

// failurePrintedCols is how many of the Portal failures sheet's columns
// print: the link to the listing is no use on paper, and the dates of
// Submitted at and Fixed at are in the footer.
const failurePrintedCols = 10

// failingListing is one listing that a portal rejected on the day, with
// every error it got and what became of it.
type failingListing struct {
	portal, ref, portalRef, action, url string
	last, fixed                         time.Time // last failed submission; later success, zero if none
	tries                               int
	codes                               []string // of every failed submission of the day, each once
	lastCodes                           []string // of the last failed submission, each once
	messages                            []listingError
}

// listingError is one error a listing got on the day, each once.
type listingError struct {
	code, text string // text: "CODE: message"
}

// status is where the listing stands at the end of the day: fixed by a
// later successful submission, else still failing, whatever its errors.
func (l *failingListing) status() string {
	if !l.fixed.IsZero() {
		return statusFixed
	}
	return statusFailing
}

// submission is the part of a portal submission the report reads.
type submission struct {
	ok                                  bool
	portal, ref, portalRef, action, url string
	at                                  time.Time
	errors                              []sender.SubmissionError
}

// parseSubmission reads a portal submission as its sender's description
// does, at the time the sender gives (else when it was received).
func parseSubmission(r *EventRow, read func([]byte) sender.Submission) submission {
	g := read(r.JSON)
	return submission{ok: g.OK, portal: portalLabel(g.Portal), ref: g.Ref, portalRef: g.PortalRef,
		action: g.Action, url: g.URL, at: orReceived(g.At, r.ReceivedAt), errors: g.Errors}
}

// orReceived is t, when the sender said when an event happened, else when
// syncd received it.
func orReceived(t, received time.Time) time.Time {
	if t.IsZero() {
		return received
	}
	return t
}

// failures collects the day's failing listings; its size is the number of
// listings that failed, whatever the number of submissions.
type failures struct {
	byKey map[string]*failingListing
	// successes are the day's successful submissions per listing. They
	// are read in received order, which is not the sender's: a failure
	// whose delivery the sender retried (30 minutes later, for Estate
	// Agent Feeds) can arrive after the success that fixed it. Whether a
	// listing is fixed is settled by the submissions' own times once all
	// are read.
	successes map[string][]success
}

// success is one successful submission of a listing.
type success struct {
	at  time.Time
	url string
}

func (f *failures) add(s submission) {
	key := s.portal + "\x00" + cmp.Or(s.portalRef, s.ref)
	if s.ok {
		if f.successes == nil {
			f.successes = map[string][]success{}
		}
		f.successes[key] = append(f.successes[key], success{at: s.at, url: s.url})
		return
	}
	l := f.byKey[key]
	if l == nil {
		l = &failingListing{portal: s.portal, ref: s.ref, portalRef: s.portalRef}
		f.byKey[key] = l
	}
	l.tries++
	errs := s.errors
	if len(errs) == 0 {
		errs = []sender.SubmissionError{{Message: "(no error given)"}}
	}
	var codes []string
	for _, e := range errs {
		l.addError(e.Code, e.Message)
		if !slices.Contains(codes, e.Code) {
			codes = append(codes, e.Code)
		}
	}
	if !s.at.Before(l.last) { // the submissions are read in received order, not the sender's
		l.last, l.action, l.lastCodes = s.at, s.action, codes
	}
}

func (l *failingListing) addError(code, msg string) {
	if !slices.Contains(l.codes, code) {
		l.codes = append(l.codes, code)
	}
	m := strings.TrimSpace(join(": ", code, msg))
	if !slices.ContainsFunc(l.messages, func(e listingError) bool { return e.text == m }) {
		l.messages = append(l.messages, listingError{code: code, text: m})
	}
}

// errorsText is the Errors cell: the last failed submission's errors, then
// those of earlier ones that it no longer had, said so. Before, every
// error of the day stood alike, with its step under What to do: a price
// added at noon still read as missing.
func (l *failingListing) errorsText() string {
	var now, gone []string
	for _, e := range l.messages {
		if slices.Contains(l.lastCodes, e.code) {
			now = append(now, e.text)
		} else {
			gone = append(gone, e.text+" (earlier, not in the last submission)")
		}
	}
	return strings.Join(append(now, gone...), "\n")
}

// settle marks each listing fixed by the first success submitted at or
// after its last failure, whenever that success was received.
func (f *failures) settle() {
	for key, l := range f.byKey {
		for _, s := range f.successes[key] {
			if !s.at.Before(l.last) && (l.fixed.IsZero() || s.at.Before(l.fixed)) {
				l.fixed, l.url = s.at, cmp.Or(s.url, l.url)
			}
		}
	}
}

// sorted returns the listings still failing first, then those fixed; by
// portal (in order) and time within each.
func (f *failures) sorted(order func(a, b string) int) []*failingListing {
	f.settle()
	rank := map[string]int{statusFailing: 0, statusFixed: 1}
	out := make([]*failingListing, 0, len(f.byKey))
	for _, l := range f.byKey {
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b *failingListing) int {
		return cmp.Or(cmp.Compare(rank[a.status()], rank[b.status()]), order(a.portal, b.portal),
			a.last.Compare(b.last), cmp.Compare(a.portalRef, b.portalRef))
	})
	return out
}

// readFailures reads the day's portal submissions, counts them into the
// summary and emits one row per failing listing per portal.
func (b *book) readFailures(ctx context.Context, emit func(row ...any) error) error {
	f := &failures{byKey: map[string]*failingListing{}}
	err := eachOfKinds(ctx, b, func(s sender.Spec) ([]string, bool) { return s.Submissions, s.Submission != nil },
		func(s sender.Spec, r *EventRow) error {
			sub := parseSubmission(r, s.Submission)
			b.sum.addSubmission(sub.portal, sub.ok)
			f.add(sub)
			return nil
		})
	if err != nil {
		return err
	}
	for _, l := range f.sorted(b.sum.order) {
		b.sum.addFailingListing(l)
		if err := emit(b.failureRow(l)...); err != nil {
			return err
		}
	}
	return nil
}

func (b *book) failureRow(l *failingListing) []any {
	st := l.status()
	style := map[string]int{statusFailing: b.st.bad, statusFixed: b.st.good}[st]
	var fixed, fixedOn any
	if !l.fixed.IsZero() {
		fixed, fixedOn = b.dayTime(l.fixed), b.fullTime(l.fixed)
	}
	todo := nextSteps(l.lastCodes)
	if st == statusFixed {
		todo = "Nothing: a later submission succeeded."
	}
	return []any{
		cell(style, st), l.portal, l.ref, l.portalRef, l.action, b.dayTime(l.last),
		cell(b.st.id, l.tries), text(l.errorsText()), text(todo), fixed, listingLink(b.st, l.url),
		b.fullTime(l.last), fixedOn,
	}
}

// nextSteps is what to do about a listing's error codes, a step a line in
// the codes' order, each step once. Of more than one step, each line starts
// with the codes it answers ("ERR_MISSING_PRICE: Add the asking price…"):
// an error's message and its step wrap to different numbers of lines, so
// the step printed beside an error was often another's.
func nextSteps(codes []string) string {
	var steps []string
	answers := map[string][]string{} // a step's codes
	for _, c := range codes {
		s := nextStep(c)
		if answers[s] == nil {
			steps = append(steps, s)
		}
		answers[s] = append(answers[s], cmp.Or(c, "(no code)"))
	}
	if len(steps) > 1 {
		for i, s := range steps {
			steps[i] = strings.Join(answers[s], ", ") + ": " + s
		}
	}
	return strings.Join(steps, "\n")
}

// listingLink opens the listing on its portal, when the portal said where;
// an address no link can open is shown, to copy.
func listingLink(st styles, url string) any {
	if !linkable(url) {
		return text(url)
	}
	return link(st, "Open listing", url)
}
