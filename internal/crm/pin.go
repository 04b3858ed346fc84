package crm

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// CodeWrongAccount is the code of the error an adapter pinned to one CRM
// account returns when its token belongs to another.
const CodeWrongAccount = syncd.CodeWrongAccount

// Pin keeps an adapter's writes in the CRM account the operator expects:
// an agency's integrator who pastes another client's token must not send
// one agency's leads into another company's CRM. Before its first write,
// and again after its token changed (Reset), the adapter reads the account
// the token belongs to (Read) and writes nothing unless its id is Want.
// A Pin whose Want is "" verifies nothing. The zero Pin is such a Pin.
type Pin struct {
	// Want is the expected account id; "" pins nothing. Once the Pin is
	// in use, change it with SetWant.
	Want string
	Read func(ctx context.Context) (Account, error) // the account the token belongs to
	// Fix is the way out an operator is told of on a mismatch, e.g.
	// "put the client's token in crm.hubspot.token_file, or correct crm.hubspot.hub_id".
	Fix string
	// Address names the configuration's API address, told when it
	// answers 404 to the account's read (CodeNotTheAPI), e.g.
	// "crm.pipedrive.base_url"; "" says "the CRM's base_url".
	Address string
	// Of says, on a mismatch, what Want is when it is not the
	// configuration's pin ("the pinned hub id 1111111"), e.g. "the account
	// the CRM ids syncd holds were made in"; "" for the configuration's.
	Of string
	// Record, if set, is given the account the token belongs to before the
	// first write when nothing is pinned or the token belongs to the
	// pinned account: it records that account as the one the CRM ids are
	// made in, unless one is recorded already, and returns the one
	// recorded, pinned from then on as SetMade pins it (a Reset and a
	// reload change it not). Nothing is written unless it is the
	// token's: the ids the writes carry name other records, or none, in
	// another account. Without it an adapter pinned to nothing reads no
	// account.
	Record func(ctx context.Context, acc Account) (string, error)
	// MadeFix and MadeOf are to the account the CRM ids syncd holds were
	// made in (SetMade, or as Record returns it) what Fix and Of are to
	// Want: the way out told on a mismatch with it, and what it is ("the
	// account the CRM ids syncd holds were made in"; "": the pinned
	// account).
	MadeFix, MadeOf string

	mu sync.Mutex
	// made is the account the CRM ids syncd holds were made in: the token
	// must belong to it too, whatever Want says or a reload sets.
	made     string
	verified bool // the token in use belongs to Want and made
}

// SetMade pins the account the CRM ids syncd holds were made in (id),
// besides Want: the ids name other records, or none, in another account,
// so nothing is sent there, whatever the configuration pins or a reload
// pins later. A Want of another account then sends nothing at all, as
// the token cannot belong to both.
func (p *Pin) SetMade(id string) {
	p.mu.Lock()
	p.made, p.verified = id, false
	p.mu.Unlock()
}

// wrong is the mismatch of acc, the account the token belongs to, with
// those p pins, made first, then Want: the problem and its way out; ok
// false when it belongs to both (or p pins nothing).
func (p *Pin) wrong(acc Account) (problem, fix string, ok bool) {
	switch {
	case p.made != "" && acc.ID != p.made:
		return mismatch(acc, p.made, p.MadeOf), p.MadeFix, true
	case p.Want != "" && acc.ID != p.Want:
		return mismatch(acc, p.Want, p.Of), p.Fix, true
	}
	return "", "", false
}

// Verify returns nil when nothing is pinned (and Record is nil) or the
// token belongs to the pinned account, and to the one the CRM ids were
// made in (SetMade); with Record, to the account Record returns, pinned so
// from then on. Otherwise it returns a *syncd.CRMError that makes the
// syncer wait, never dead-letter: on another account, ErrAuth (the
// adapter pauses as for a rejected token, naming both accounts); when the
// account cannot be read, the read's own class when it is a retry, a
// rejected token or a spent daily limit, else ErrAuth; when Record fails,
// ErrRetry. A success is kept until Reset.
func (p *Pin) Verify(ctx context.Context) error {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.verified || (p.Want == "" && p.made == "" && p.Record == nil) {
		return nil
	}
	acc, err := p.Read(ctx)
	if err != nil {
		return p.unread(err)
	}
	if p.Record != nil && p.made == "" && (p.Want == "" || acc.ID == p.Want) {
		was, err := p.Record(ctx, acc)
		if err != nil {
			return &syncd.CRMError{Class: syncd.ErrRetry, Message: fmt.Sprintf(
				"the CRM account the token belongs to cannot be recorded as the one its CRM ids are made in, so nothing is sent: %v", err)}
		}
		p.made = was // another when recorded since: writes go there only
	}
	if msg, fix, wrong := p.wrong(acc); wrong {
		if fix != "" {
			msg += "; " + fix
		}
		return &syncd.CRMError{Class: syncd.ErrAuth, Code: CodeWrongAccount, Message: msg}
	}
	p.verified = true
	return nil
}

// mismatch says that the token belongs to acc, not to the pinned account
// want, which of says what it is ("" for the configuration's pin).
func mismatch(acc Account, want, of string) string {
	if of == "" {
		return fmt.Sprintf("the token belongs to %s, not to the pinned %s %s: nothing is sent to it", acc, acc.IDName, want)
	}
	return fmt.Sprintf("the token belongs to %s, not to %s %s, %s: nothing is sent to it", acc, acc.IDName, want, of)
}

// unread is the error of a write that waits because the account could
// not be read.
func (p *Pin) unread(err error) error {
	ce := &syncd.CRMError{Class: syncd.ErrRetry}
	if errors.As(err, &ce) {
		ce = &syncd.CRMError{Status: ce.Status, Code: ce.Code, Class: ce.Class, RetryAfter: ce.RetryAfter}
	}
	switch ce.Class {
	case syncd.ErrRetry, syncd.ErrAuth, syncd.ErrDailyLimit:
	default:
		ce.Class = syncd.ErrAuth // no write may go out, and none may die: pause
	}
	ce.Message = fmt.Sprintf("the CRM account is pinned and the account the token belongs to cannot be read, so nothing is sent: %v", err)
	if ce.Status == http.StatusNotFound {
		// Every account has the record read: the address is not the API.
		addr := cmp.Or(p.Address, "the CRM's base_url")
		ce.Class, ce.Code = syncd.ErrAuth, syncd.CodeNotTheAPI
		ce.Message = fmt.Sprintf("%s answered 404 Not Found to the read of the account the token belongs to: "+
			"it is not the CRM's API address (any more: a company domain changed in the CRM?), so nothing is sent: %v", addr, err)
		return ce
	}
	want, of := p.Want, p.Of
	if p.made != "" && p.made != p.Want {
		want, of = p.made, p.MadeOf
	}
	switch {
	case want == "":
		ce.Message = fmt.Sprintf("the account the token belongs to cannot be read, so nothing is sent "+
			"(syncd records it as the one its CRM ids are made in before the first write): %v", err)
	case of != "":
		// Not the configuration's pin: the ids syncd holds name records
		// of that account only.
		ce.Message = fmt.Sprintf("the account the token belongs to cannot be read, so nothing is sent "+
			"(it must be account %s, %s): %v", want, of, err)
	}
	return ce
}

// Finding is crm check's row for a token of another account than the
// pinned one, or whose account cannot be read; ok is false when nothing
// is pinned or the token belongs to the pinned account. It reads the
// account every time (once per check, under ReadAccountOnce): a check is
// asked to look now. say words a read that failed, as the adapter's
// ReadFailure does (nil: the error as it is).
func (p *Pin) Finding(ctx context.Context, say func(error) (problem, fix string)) (f syncd.Finding, ok bool) {
	want, of := p.target()
	if want == "" {
		return f, false
	}
	acc, err := p.Read(ctx)
	f = syncd.Finding{Severity: syncd.SevError, Object: "account"}
	switch {
	case err != nil:
		// Whose the token must be: the configuration's pin, or the
		// account the ids were made in. "the account the CRM ids syncd
		// holds were made in, and the account the token belongs to cannot
		// be read" was hard to read.
		what := cmp.Or(of, "the pinned account")
		unread := func(why string) string {
			return fmt.Sprintf("the account the token belongs to cannot be read (%s), so whether it is %s is not known: nothing is sent", why, what)
		}
		f.Name, f.Problem = want, unread(err.Error())
		f.Fix, f.Unread = readFix(err), syncd.Unread(err)
		if say != nil {
			problem, fix := say(err)
			f.Problem = unread(problem)
			if ce := (*syncd.CRMError)(nil); !errors.As(err, &ce) || ce.Class != syncd.ErrAuth {
				f.Fix = fix // a refused token's is readFix's: the scopes syncd needs
			}
		}
	default:
		problem, fix, wrong := p.wrongNow(acc)
		if !wrong {
			return f, false
		}
		f.Name, f.Problem, f.Fix = acc.IDName+" "+acc.ID, problem, fix
	}
	return f, true
}

// readFix is the way out of a pinned account that cannot be read: the
// read's, not that of a token of another account (Fix), which this token
// need not be.
func readFix(err error) string {
	var ce *syncd.CRMError
	switch {
	case errors.As(err, &ce) && ce.Class == syncd.ErrDailyLimit:
		return "nothing to change: the CRM's daily API limit for the account is spent; run the check again once it resets"
	case errors.As(err, &ce) && ce.Status == http.StatusUnauthorized:
		// No scope makes a 401: the token itself is not taken (a HubSpot
		// app's token rotated or the app removed, a Pipedrive user's token
		// reset or the user deactivated).
		return "the CRM no longer takes this token (revoked, expired, or mistyped): put a valid one in the configuration, " +
			"run the check again, then systemctl reload syncd so that the daemon takes it"
	case errors.As(err, &ce) && ce.Class == syncd.ErrAuth:
		return "the CRM refuses the token for this read (see the problem): put a valid token with the scopes syncd needs, then run the check again"
	case errors.As(err, &ce) && ce.Status != 0:
		return "look at the CRM's answer; run the check again"
	}
	return "check the CRM's base_url and the network; run the check again"
}

// target is the account the token must belong to that a failed read of
// it is told against, and what it is (of, as Of): the account the CRM
// ids syncd holds were made in when it is another than Want, else Want;
// "" for none (or a nil Pin).
func (p *Pin) target() (want, of string) {
	if p == nil {
		return "", ""
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.made != "" && p.made != p.Want {
		return p.made, p.MadeOf
	}
	return p.Want, p.Of
}

// wrongNow is wrong under p's lock.
func (p *Pin) wrongNow(acc Account) (problem, fix string, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.wrong(acc)
}

// SetWant pins another account (want "" pins none), as when the operator
// corrected the pinned id and reloaded the configuration: the account is
// read again before the next write.
func (p *Pin) SetWant(want string) {
	p.mu.Lock()
	p.Want, p.verified = want, false
	p.mu.Unlock()
}

// Reset forgets a verified account: the token changed.
func (p *Pin) Reset() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.verified = false
	p.mu.Unlock()
}

// Refused is a result for each of n records: err.
func Refused(n int, err error) []syncd.Result {
	out := make([]syncd.Result, n)
	for i := range out {
		out[i].Err = err
	}
	return out
}
