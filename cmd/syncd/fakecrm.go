package main

import (
	"context"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// cmdFakeCRM runs the stand-in CRM for a local trial:
// fakecrm -listen 127.0.0.1:PORT -kind hubspot|pipedrive.
func cmdFakeCRM(ctx context.Context, c *cli) int {
	fs := c.flags("fakecrm")
	listen := fs.String("listen", "127.0.0.1:8090", "address to serve on (keep it on loopback)")
	kind := fs.String("kind", crmfake.KindHubSpot, "hubspot or pipedrive")
	token := fs.String("token", "", "token every request must carry (default: any)")
	rate := fs.Int("rate", 0, "requests per -window before 429, hubspot: per token, as HubSpot counts per app (0: the CRM's, HubSpot's 100 per 10s, Pipedrive's 20 per 2s of its Lite plan; -1: none, and no rate-limit headers)")
	window := fs.Duration("window", 0, "rate-limit window (default the CRM's)")
	lag := fs.Duration("search-lag", 2*time.Second, "how long a new record is invisible to search")
	listLag := fs.Duration("list-lag", 0, "how long a new record is missing from Pipedrive's lists")
	daily := fs.Int("daily", 0, "requests per day before the daily 429, every token's: the account's (pipedrive: its POST, PUT and PATCH requests, as x-daily-requests-left counts them; 0: none)")
	secondly := fs.Int("secondly", 0, "hubspot: requests per second on top of -rate (0: none)")
	zone := fs.String("time-zone", "UTC", "hubspot: the account's time zone, where the daily limit resets")
	noEcho := fs.Bool("no-echo", false, "hubspot: batch results without the echo of their inputs")
	ahead := fs.Duration("clock-ahead", 0, "how far the CRM's clock runs ahead of this host's (negative: behind): its records' times and its answers' Date")
	if err := parseOnlyFlags(fs, c.args, ""); err != nil {
		return c.flagsStatus(fs, err)
	}
	loc, err := time.LoadLocation(*zone)
	if err != nil {
		fmt.Fprintf(c.stderr, "syncd fakecrm: -time-zone: %v\n", err)
		return exitUsage
	}
	if *kind != crmfake.KindHubSpot && *kind != crmfake.KindPipedrive {
		fmt.Fprintf(c.stderr, "syncd fakecrm: -kind %q is not hubspot or pipedrive\n", *kind)
		return exitUsage
	}
	if *rate == 0 {
		// The CRM's own: Pipedrive, too, always limits and always sends
		// its x-ratelimit-* headers (docs/crm-contracts.md), which the
		// fake sends only while it limits: with none, a trial against it
		// never showed how syncd reads them. 20 per 2 s is its least
		// plan's (Lite) API-token burst.
		*rate = 20
		if *kind == crmfake.KindHubSpot {
			*rate = 100
		}
	}
	var now func() time.Time // nil: time.Now
	if off := *ahead; off != 0 {
		now = func() time.Time { return time.Now().Add(off) }
	}
	srv := crmfake.New(crmfake.Options{Kind: *kind, Token: *token, RateLimit: *rate, RateInterval: *window, SearchLag: *lag, ListLag: *listLag,
		DailyLimit: *daily, SecondlyLimit: *secondly, TimeZone: loc, NoEcho: *noEcho, Now: now,
		StrictSchema:    true,                           // as the real CRMs: a property the account lacks is a 400
		SoftDeleteDeals: true, SoftDeletePersons: true}) // and Pipedrive keeps what is deleted in its trash
	base := "http://" + *listen
	if *kind == crmfake.KindPipedrive {
		base += "/api/v2" // the base_url the Pipedrive adapter takes
	}
	fmt.Fprintf(c.stderr, "fake %s CRM: base_url %s (admin: /__admin/state, /__admin/requests, /__admin/faults, /__admin/reset)\n", *kind, base)
	if err := srv.Run(ctx, *listen); err != nil {
		return c.fail(err)
	}
	return exitOK
}
