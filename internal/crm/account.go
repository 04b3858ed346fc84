package crm

import (
	"context"
	"strconv"
	"strings"
	"sync"
)

// Account names the CRM account a token belongs to, so that an operator
// can tell a token of another client's account: ids and domains, no
// personal data (not the token's user).
type Account struct {
	IDName   string // what the CRM calls ID: "hub id", "company"
	ID       string // HubSpot: the hub (portal) id; Pipedrive: the company id
	Domain   string // HubSpot: the UI domain of its data centre; Pipedrive: the company domain
	Name     string // Pipedrive: the company name; HubSpot tells none
	Type     string // HubSpot: STANDARD, SANDBOX, DEVELOPER_TEST, APP_DEVELOPER
	TimeZone string // the account's time zone, as the CRM names it
}

// ForTests reports whether the account is one made for tests (HubSpot's
// SANDBOX and DEVELOPER_TEST accounts): leads written there reach no one
// working the client's production account.
func (a Account) ForTests() bool { return a.Type == "SANDBOX" || a.Type == "DEVELOPER_TEST" }

// String is the account as crm check prints it: `hub id 1234567
// (app-eu1.hubspot.com, STANDARD, Europe/Copenhagen)`.
func (a Account) String() string {
	s := strings.TrimSpace(a.IDName + " " + a.ID)
	if a.Name != "" {
		s += " " + strconv.Quote(a.Name)
	}
	var more []string
	for _, v := range []string{a.Domain, a.Type, a.TimeZone} {
		if v != "" {
			more = append(more, v)
		}
	}
	if len(more) > 0 {
		s += " (" + strings.Join(more, ", ") + ")"
	}
	return s
}

// accountMemo is what an adapter read of the account under a context made
// by ReadAccountOnce, by adapter.
type accountMemo struct {
	mu   sync.Mutex
	read map[string]accountRead
}

// accountRead is one read's result.
type accountRead struct {
	v   any
	err error
}

type accountMemoKey struct{}

// ReadAccountOnce returns a context under which an adapter reads the
// account its token belongs to at most once (ReadAccount): crm check asks
// for it for its first line, for the pinned account's row and for what
// the account's settings decide (HubSpot's company currency, Pipedrive's
// user), and a CRM slow to answer made it wait as long each time.
func ReadAccountOnce(ctx context.Context) context.Context {
	return context.WithValue(ctx, accountMemoKey{}, &accountMemo{read: map[string]accountRead{}})
}

// ReadAccount returns read(ctx), read once for adapter under a context
// made by ReadAccountOnce (a failed read too: the check says so again,
// without waiting for it again), else read every time.
func ReadAccount[T any](ctx context.Context, adapter string, read func(context.Context) (T, error)) (T, error) {
	m, ok := ctx.Value(accountMemoKey{}).(*accountMemo)
	if !ok {
		return read(ctx)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.read[adapter]; ok {
		return r.v.(T), r.err
	}
	v, err := read(ctx)
	m.read[adapter] = accountRead{v, err}
	return v, err
}
