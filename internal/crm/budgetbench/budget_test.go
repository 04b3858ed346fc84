package budgetbench

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var (
	run     = flag.Bool("budget", false, "run the rate budget measurement (real time, about three minutes)")
	windows = flag.Int("budget.windows", 3, "rate windows measured per account (at least 10 for windows under 5 s)")
	only    = flag.String("budget.only", "", "measure only the accounts whose name contains this")
)

// account is a CRM account's published limit, served by crmfake, and the
// adapter as syncd builds it by default (its configured limit left at the
// default: the account's headers have to teach it the rest).
type account struct {
	name     string
	kind     string
	limit    int
	interval time.Duration
	secondly int // HubSpot's per-second limit on top; 0 for none
}

var accounts = []account{
	{"HubSpot Free/Starter 100 per 10 s", crmfake.KindHubSpot, 100, 10 * time.Second, 0},
	{"HubSpot Professional/Enterprise 190 per 10 s", crmfake.KindHubSpot, 190, 10 * time.Second, 0},
	{"HubSpot 190 per 10 s, also 19 per second", crmfake.KindHubSpot, 190, 10 * time.Second, 19},
	{"HubSpot account limited to 10 per second", crmfake.KindHubSpot, 10, time.Second, 0},
	{"Pipedrive Lite API token 20 per 2 s", crmfake.KindPipedrive, 20, 2 * time.Second, 0},
	{"Pipedrive Growth API token 40 per 2 s", crmfake.KindPipedrive, 40, 2 * time.Second, 0},
}

// figures is one account's measurement.
type figures struct {
	sent, allowed, tooMany int
	span                   time.Duration
}

func (f figures) share() float64 { return float64(f.sent) / float64(f.allowed) }

// TestBudget drives each adapter as the syncer does (one call at a time,
// new contacts each call, and for Pipedrive their deals: see work) for a whole number of the account's windows and
// prints the share of the budget used and the 429s received.
func TestBudget(t *testing.T) {
	if !*run {
		t.Skip("rate budget measurement: run with -budget")
	}
	var rows []string
	for _, acc := range accounts {
		if !strings.Contains(acc.name, *only) {
			continue
		}
		f := measure(t, acc)
		rows = append(rows, fmt.Sprintf("| %-46s | %8s | %6d | %6d | %5.1f%% | %4d |",
			acc.name, f.span, f.sent, f.allowed, 100*f.share(), f.tooMany))
	}
	t.Logf("\n| %-46s | %8s | %6s | %6s | %6s | %4s |\n|%s|\n%s", "account", "measured", "sent", "budget", "used", "429s",
		strings.Repeat("-", 96), strings.Join(rows, "\n"))
}

// measure runs one account for its windows and reads the figures from the
// fake's request log: requests accepted in the span from the first one,
// against the most the rolling window admits in that span.
func measure(t *testing.T, acc account) figures {
	t.Helper()
	n := *windows
	if acc.interval < 5*time.Second {
		n = max(n, 10)
	}
	span := time.Duration(n) * acc.interval
	opts := crmfake.Options{Kind: acc.kind, Token: "bench-token", RateLimit: acc.limit, RateInterval: acc.interval,
		SecondlyLimit: acc.secondly, Seed: 1}
	if acc.kind == crmfake.KindPipedrive {
		opts.SearchLimit = 10 // Pipedrive's search limit per 2 s, on every plan
	}
	srv := crmfake.New(opts)
	base := srv.Start()
	defer srv.Close()
	a := adapter(acc.kind, base)
	ctx := context.Background()
	start := time.Now()
	for call := 0; time.Since(start) < span+acc.interval/10; call++ {
		work(ctx, a, acc.kind, call)
	}
	var f figures
	var first time.Time
	for _, r := range srv.Requests() {
		if first.IsZero() {
			first = r.Time
		}
		switch {
		case r.Time.Sub(first) >= span:
		case r.Status == 429:
			f.tooMany++
		default:
			f.sent++
		}
	}
	f.span, f.allowed = span, n*acc.limit
	return f
}

func adapter(kind, base string) syncd.CRM {
	if kind == crmfake.KindPipedrive {
		return pipedrive.New(pipedrive.Options{BaseURL: base, Token: "bench-token", LeadIDField: crmfake.DefaultPipedriveLeadField})
	}
	return hubspot.New(hubspot.Options{BaseURL: base, Token: "bench-token"})
}

// work is one call of the syncer's: ten new contacts. For Pipedrive the
// contacts carry only properties a Pipedrive account has (an unknown one
// such as HubSpot's firstname is a configuration error that sends
// nothing), and each is followed by its deal, as the syncer sends every
// lead: new persons alone cannot use more than 20 requests per 2 s (a
// search, limited to 10 per 2 s on every plan, and a create each), half
// of a Growth account's budget, whatever the adapter does.
func work(ctx context.Context, a syncd.CRM, kind string, call int) {
	cs := contacts(kind, call, 10)
	rs := a.UpsertContacts(ctx, cs)
	if kind != crmfake.KindPipedrive {
		return
	}
	var ds []syncd.Deal
	for i, r := range rs {
		if r.Err == nil && r.ID != "" {
			ds = append(ds, syncd.Deal{LeadID: cs[i].Key, ContactKey: cs[i].Key, ContactID: r.ID,
				Properties: map[string]string{"title": "Bench"}})
		}
	}
	if len(ds) > 0 {
		a.UpsertDeals(ctx, ds)
	}
}

// contacts are n new contacts of a CRM kind for call number call.
func contacts(kind string, call, n int) []syncd.Contact {
	out := make([]syncd.Contact, n)
	for i := range out {
		email := fmt.Sprintf("bench%06d-%02d@example.com", call, i)
		props := map[string]string{"email": email, "firstname": "Bench", "name": "Bench"}
		if kind == crmfake.KindPipedrive {
			props = map[string]string{"email": email, "name": "Bench"}
		}
		out[i] = syncd.Contact{Key: email, Email: email, Properties: props}
	}
	return out
}
