package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// cmdEvents inspects what arrived: `events list [-source S] [-since T]
// [-quarantined] [-json]`, `events show [-quarantined] ID`, and repairs a
// quarantined body: `events repair ID FILE.json`.
func cmdEvents(ctx context.Context, c *cli) int {
	if len(c.args) == 0 {
		fmt.Fprintln(c.stderr, "usage: syncd events list|show [flags]")
		return exitUsage
	}
	sub, rest := c.args[0], &cli{args: c.args[1:], stdout: c.stdout, stderr: c.stderr, getenv: c.getenv}
	switch sub {
	case "list":
		return rest.eventsList(ctx)
	case "show":
		return rest.eventsShow(ctx)
	case "repair":
		return rest.eventsRepair(ctx)
	}
	fmt.Fprintf(c.stderr, "syncd events: unknown subcommand %q (list, show or repair)\n", sub)
	return exitUsage
}

func (c *cli) eventsList(ctx context.Context) int {
	fs := c.flags("events list")
	file := fs.String("config", defaultConfig, "configuration file")
	source := fs.String("source", "", "only this source")
	since := fs.String("since", "", "only events received since: RFC 3339 time, YYYY-MM-DD, or a duration such as 24h")
	quar := fs.Bool("quarantined", false, "list quarantined bodies instead of events")
	asJSON := fs.Bool("json", false, "print JSON lines")
	limit := fs.Int("limit", 1000, "at most this many (0: all)")
	if fs.Parse(c.args) != nil {
		return exitUsage
	}
	from, err := parseSince(*since, time.Now())
	if err != nil {
		fmt.Fprintf(c.stderr, "syncd events: -since: %v\n", err)
		return exitUsage
	}
	return c.withStore(ctx, *file, func(_ *config.Config, db *backend) int {
		if *quar {
			return c.printQuarantine(ctx, db, from, *asJSON)
		}
		evs, err := db.Events(ctx, syncd.EventFilter{Source: *source, Since: from, Limit: *limit})
		if err != nil {
			return c.fail(err)
		}
		c.printEvents(evs, *asJSON)
		return exitOK
	})
}

// printEvents prints events as a table or JSON lines, without payloads.
func (c *cli) printEvents(evs []syncd.Event, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(c.stdout)
		for _, ev := range evs {
			enc.Encode(eventJSON(ev, false))
		}
		return
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tRECEIVED\tSOURCE\tTYPE\tPARSE\tDELIVERIES\tMAPPING")
	for _, ev := range evs {
		mapping := string(ev.MapState)
		if ev.MapError != "" {
			mapping += ": " + ev.MapError
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", ev.ID, ev.ReceivedAt.Format(time.RFC3339),
			ev.Source, ev.Type, ev.Parse, ev.Deliveries, mapping)
	}
	tw.Flush()
}

func (c *cli) printQuarantine(ctx context.Context, db store, from time.Time, asJSON bool) int {
	qs, err := db.Quarantined(ctx, from, time.Time{})
	if err != nil {
		return c.fail(err)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	if !asJSON {
		fmt.Fprintln(tw, "ID\tRECEIVED\tSOURCE\tBYTES\tDELIVERIES\tREPAIRED AS\tREASON")
	}
	for _, q := range qs {
		if asJSON {
			json.NewEncoder(c.stdout).Encode(map[string]any{"id": q.ID, "received_at": q.ReceivedAt,
				"source": q.Source, "bytes": len(q.Body), "deliveries": q.Deliveries, "reason": q.Reason,
				"repaired_as_event": q.ResolvedEvent})
			continue
		}
		repaired := "-"
		if q.ResolvedEvent != 0 {
			repaired = fmt.Sprintf("event %d", q.ResolvedEvent)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%s\t%s\n", q.ID, q.ReceivedAt.Format(time.RFC3339), q.Source,
			len(q.Body), q.Deliveries, repaired, q.Reason)
	}
	tw.Flush()
	return exitOK
}

func (c *cli) eventsShow(ctx context.Context) int {
	fs := c.flags("events show")
	file := fs.String("config", defaultConfig, "configuration file")
	quar := fs.Bool("quarantined", false, "show a quarantined body instead of an event")
	if fs.Parse(c.args) != nil || fs.NArg() != 1 {
		fmt.Fprintln(c.stderr, "usage: syncd events show [-config FILE] [-quarantined] ID")
		return exitUsage
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		fmt.Fprintf(c.stderr, "syncd events show: %q is not an id\n", fs.Arg(0))
		return exitUsage
	}
	return c.withStore(ctx, *file, func(_ *config.Config, db *backend) int {
		if *quar {
			return c.showQuarantined(ctx, db, id)
		}
		ev, err := db.Event(ctx, id)
		if err != nil {
			return c.fail(err)
		}
		out, _ := json.MarshalIndent(eventJSON(ev, true), "", "  ")
		fmt.Fprintf(c.stdout, "%s\n", out)
		return exitOK
	})
}

// showQuarantined prints one quarantined body as it was received.
func (c *cli) showQuarantined(ctx context.Context, db store, id int64) int {
	qs, err := db.Quarantined(ctx, time.Time{}, time.Time{})
	if err != nil {
		return c.fail(err)
	}
	for _, q := range qs {
		if q.ID == id {
			fmt.Fprintf(c.stdout, "quarantine %d from %s at %s (%d deliveries): %s\n\n%s\n",
				q.ID, q.Source, q.ReceivedAt.Format(time.RFC3339), q.Deliveries, q.Reason, q.Body)
			return exitOK
		}
	}
	return c.fail(syncd.Errorf(syncd.ENotFound, "quarantined body %d not found", id))
}

// eventsRepair turns a quarantined body into an event from a corrected
// copy: `events repair [-config FILE] ID FILE.json`. The mapping worker of a
// running daemon maps it; `syncd replay` does too.
func (c *cli) eventsRepair(ctx context.Context) int {
	fs := c.flags("events repair")
	file := fs.String("config", defaultConfig, "configuration file")
	if fs.Parse(c.args) != nil || fs.NArg() != 2 {
		fmt.Fprintln(c.stderr, "usage: syncd events repair [-config FILE] QUARANTINE-ID FILE.json")
		return exitUsage
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		fmt.Fprintf(c.stderr, "syncd events repair: %q is not an id\n", fs.Arg(0))
		return exitUsage
	}
	body, err := os.ReadFile(fs.Arg(1))
	if err != nil {
		return c.fail(err)
	}
	return c.withStore(ctx, *file, func(cfg *config.Config, db *backend) int {
		qs, err := db.Quarantined(ctx, time.Time{}, time.Time{})
		if err != nil {
			return c.fail(err)
		}
		kind := syncd.Kind("")
		for _, q := range qs {
			if q.ID == id {
				kind = q.Kind
			}
		}
		d := webhook.Decode(kind, body) // the receiver's own rules: same key, same parse status
		inc := syncd.Incoming{Type: d.Type, Key: d.Key, Body: body, Payload: d.Payload, Parse: d.Parse,
			Quarantine: d.Reason != "", Reason: d.Reason, RemoteAddr: "repair"}
		rec, err := db.RepairQuarantined(ctx, id, inc, cfg.Intake.DedupWindow)
		if err != nil {
			return c.fail(err)
		}
		fmt.Fprintf(c.stdout, "quarantined body %d is now event %d (%s)\n", id, rec.ID, rec.Outcome)
		return exitOK
	})
}

// eventJSON is an event as the events command prints it; the payload only
// with withPayload (it holds personal data).
func eventJSON(ev syncd.Event, withPayload bool) map[string]any {
	m := map[string]any{
		"id": ev.ID, "source": ev.Source, "kind": ev.Kind, "type": ev.Type, "key": ev.Key,
		"received_at": ev.ReceivedAt, "last_delivery_at": ev.LastDeliveryAt, "deliveries": ev.Deliveries,
		"remote_addr": ev.RemoteAddr, "parse": ev.Parse, "map_state": ev.MapState, "map_error": ev.MapError,
	}
	if withPayload {
		m["payload"] = json.RawMessage(ev.Payload)
	}
	return m
}

// parseSince reads -since: an RFC 3339 time, a date (midnight UTC), or a
// duration back from now.
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time, date or duration", s)
}
