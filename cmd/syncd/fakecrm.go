package main

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
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
	searchRate := fs.Int("search-rate", 0, "search requests per second (hubspot) or per 2s (pipedrive) before 429, every token's, as the CRMs limit search apart (0: the CRM's, HubSpot's 5, Pipedrive's 10; -1: none)")
	lag := fs.Duration("search-lag", 2*time.Second, "how long a new record is invisible to search")
	listLag := fs.Duration("list-lag", 0, "how long a new record is missing from Pipedrive's lists")
	daily := fs.Int("daily", 0, "requests per day before the daily 429, every token's: the account's (pipedrive: its POST, PUT and PATCH requests, as x-daily-requests-left counts them; 0: none)")
	secondly := fs.Int("secondly", 0, "hubspot: requests per second on top of -rate (0: none)")
	zone := fs.String("time-zone", "UTC", "the account's time zone, where -daily's day ends, as HubSpot's account details and Pipedrive's users/me name it (syncd crm check's first line)")
	noEcho := fs.Bool("no-echo", false, "hubspot: batch results without the echo of their inputs")
	ahead := fs.Duration("clock-ahead", 0, "how far the CRM's clock runs ahead of this host's (negative: behind): its records' times and its answers' Date")
	regular := fs.Bool("regular-user", false, "pipedrive: the token is a regular user's, not an admin's (as users/me says it; crm check warns of it)")
	hidden := fs.String("hidden-pipeline", "", "pipedrive: the pipeline `NAME` hidden from the -regular-user, as Pipedrive's pipeline visibility hides it: left out of the pipeline and stage lists, a deal written to it refused (400); the default pipeline when NAME is its name, Pipeline, else one added with the default's stages")
	pipeline := fs.String("pipeline", "", "hubspot: a second deal pipeline labelled `NAME` beside the default one, as an admin adds one, its stages the default's under numeric ids (2000, 2001, ...), which syncd fakecrm prints")
	scopes := fs.String("scopes", "", "hubspot: the only scopes the private app's token has, a comma-separated `LIST`; a request needing another is refused (403 MISSING_SCOPES) (default: all syncd needs: "+strings.Join(crmfake.HubSpotScopes(), ",")+")")
	account := fs.Int64("account", 0, "the account the token belongs to, as syncd crm check names it: HubSpot's hub `ID` (its portalId), Pipedrive's company id (default 1234567); two fakes with other ids play two accounts of one CRM, as an agency's move to another")
	deactivated := fs.String("deactivated-owner", "", "hubspot: the owner `ID` (one of the fake's, 101 or 102) whose user is deactivated: listed by GET /crm/v3/owners?archived=true alone, no option of hubspot_owner_id")
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
	granted, err := fakeScopes(*kind, *scopes)
	if err != nil {
		fmt.Fprintf(c.stderr, "syncd fakecrm: %v\n", err)
		return exitUsage
	}
	if *kind != crmfake.KindHubSpot && strings.TrimSpace(*pipeline) != "" {
		fmt.Fprintf(c.stderr, "syncd fakecrm: -pipeline adds a HubSpot pipeline: add -kind hubspot (a Pipedrive deal's pipeline is named in the mappings; -hidden-pipeline adds one)\n")
		return exitUsage
	}
	if *kind != crmfake.KindHubSpot && strings.TrimSpace(*deactivated) != "" {
		fmt.Fprintf(c.stderr, "syncd fakecrm: -deactivated-owner plays a HubSpot owner: add -kind hubspot (a Pipedrive user is deactivated in Pipedrive's users list)\n")
		return exitUsage
	}
	if *kind != crmfake.KindPipedrive && (*regular || *hidden != "") {
		fmt.Fprintf(c.stderr, "syncd fakecrm: -regular-user and -hidden-pipeline play a Pipedrive account: add -kind pipedrive\n")
		return exitUsage
	}
	if *account < 0 {
		fmt.Fprintf(c.stderr, "syncd fakecrm: -account %d: an account's id is a number above 0 (0: the default, 1234567)\n", *account)
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
	switch *searchRate {
	case 0:
		// The CRM's own (docs/crm-contracts.md): without it a trial, or a
		// benchmark against the fake, never met the search limit the real
		// CRM has, and the fake's Pipedrive sent no search headers.
		*searchRate = 10
		if *kind == crmfake.KindHubSpot {
			*searchRate = 5
		}
	case -1:
		*searchRate = 0
	}
	var now func() time.Time // nil: time.Now
	if off := *ahead; off != 0 {
		now = func() time.Time { return time.Now().Add(off) }
	}
	srv := crmfake.New(crmfake.Options{Kind: *kind, Token: *token, AccountID: *account, RateLimit: *rate, RateInterval: *window, SearchLimit: *searchRate, SearchLag: *lag, ListLag: *listLag,
		DailyLimit: *daily, SecondlyLimit: *secondly, TimeZone: loc, NoEcho: *noEcho, Now: now, RegularUser: *regular, Scopes: granted,
		StrictSchema:    true,                           // as the real CRMs: a property the account lacks is a 400
		SoftDeleteDeals: true, SoftDeletePersons: true}) // and Pipedrive keeps what is deleted in its trash
	if name := strings.TrimSpace(*hidden); name != "" {
		srv.HidePDPipeline(name)
	}
	if id := strings.TrimSpace(*deactivated); id != "" {
		owners := srv.Owners()
		if !srv.DeactivateOwner(id) {
			fmt.Fprintf(c.stderr, "syncd fakecrm: -deactivated-owner: %q is none of the fake's owners: write one of %s\n", id, strings.Join(owners, ", "))
			return exitUsage
		}
	}
	var added string
	if name := strings.TrimSpace(*pipeline); name != "" {
		added = addedPipeline(srv.AddPipeline(name))
	}
	if fix := bracketsWanted(*listen); fix != "" {
		fmt.Fprintf(c.stderr, "syncd fakecrm: -listen %s is an IPv6 address without its brackets: write -listen '%s'\n", *listen, fix)
		return exitUsage
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return c.fail(fmt.Errorf("listen: %w", err))
	}
	base := "http://" + ln.Addr().String() // the port given, for -listen 127.0.0.1:0
	if *kind == crmfake.KindPipedrive {
		base += "/api/v2" // the base_url the Pipedrive adapter takes
	}
	admin := "/__admin/state, /__admin/requests, /__admin/faults, /__admin/reset"
	if *kind == crmfake.KindPipedrive {
		admin += ", /__admin/pipelines" // hide, show or delete a pipeline while it runs
	}
	fmt.Fprintf(c.stderr, "fake %s CRM: base_url %s (admin: %s)\n", *kind, base, admin)
	if says := fakeAccount(*regular, strings.TrimSpace(*hidden), granted); says != "" {
		fmt.Fprintf(c.stderr, "fake %s CRM: %s\n", *kind, says)
	}
	if added != "" {
		fmt.Fprintf(c.stderr, "fake %s CRM: %s\n", *kind, added)
	}
	if id := strings.TrimSpace(*deactivated); id != "" {
		fmt.Fprintf(c.stderr, "fake %s CRM: owner %s's user is deactivated (its owner archived, as HubSpot keeps it): a mapping writing hubspot_owner_id: {const: %q} shows what syncd says of it\n", *kind, id, id)
	}
	if err := srv.RunOn(ctx, ln); err != nil {
		return c.fail(err)
	}
	return exitOK
}

// fakeScopes reads -scopes: nil (every scope syncd needs) when empty, else
// the scopes named, each one the fake knows.
func fakeScopes(kind, list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	if kind != crmfake.KindHubSpot {
		return nil, fmt.Errorf("-scopes are a HubSpot private app's: add -kind hubspot, or leave -scopes out")
	}
	known := crmfake.HubSpotScopes()
	var out []string
	for _, sc := range strings.Split(list, ",") {
		sc = strings.TrimSpace(sc)
		switch {
		case sc == "":
		case !slices.Contains(known, sc):
			return nil, fmt.Errorf("-scopes: %q is not a scope syncd uses; write some of: %s", sc, strings.Join(known, ","))
		default:
			out = append(out, sc)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-scopes names no scope; write some of: %s, or leave -scopes out for all", strings.Join(known, ","))
	}
	return out, nil
}

// fakeAccount says what the fake's account lacks that a trial may look
// for: "" for an admin's token with every scope.
func fakeAccount(regular bool, hidden string, scopes []string) string {
	var says []string
	if regular {
		says = append(says, "the token is a regular user's, not an admin's")
	}
	if hidden != "" {
		if regular {
			says = append(says, fmt.Sprintf("pipeline %q is hidden from that user", hidden))
		} else {
			says = append(says, fmt.Sprintf("pipeline %q is hidden from regular users only: the token, an admin's, sees it (add -regular-user)", hidden))
		}
	}
	if scopes != nil {
		var lacks []string
		for _, sc := range crmfake.HubSpotScopes() {
			if !slices.Contains(scopes, sc) {
				lacks = append(lacks, sc)
			}
		}
		if len(lacks) > 0 {
			says = append(says, "the token lacks scopes "+strings.Join(lacks, ","))
		}
	}
	return strings.Join(says, "; ")
}

// addedPipeline says the pipeline -pipeline added: its id and its stages'
// ids with their labels, what a mapping writes to send deals there.
func addedPipeline(p crmfake.Pipeline) string {
	stages := make([]string, len(p.Stages))
	for i, st := range p.Stages {
		stages[i] = st.ID + " (" + st.Label + ")"
	}
	return fmt.Sprintf("pipeline %q has id %s, its stages %s: a mapping writes pipeline: {const: %q} beside one of those as dealstage",
		p.Label, p.ID, strings.Join(stages, ", "), p.ID)
}

// bracketsWanted is addr, an IPv6 address and a port written without the
// brackets HOST:PORT wants ("::1:8090"), as it is to be written
// ("[::1]:8090"); "" for any other addr. fakecrm -listen ::1:8090 said
// Go's "too many colons in address".
func bracketsWanted(addr string) string {
	if _, _, err := net.SplitHostPort(addr); err == nil {
		return ""
	}
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		return ""
	}
	if ip, err := netip.ParseAddr(addr[:i]); err != nil || !ip.Is6() {
		return ""
	}
	return net.JoinHostPort(addr[:i], addr[i+1:])
}
