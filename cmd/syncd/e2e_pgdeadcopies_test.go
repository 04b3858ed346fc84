package main_test

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestEveryInstanceRewritesItsCopyOfADayWhoseDeadOperationWasRemoved: two
// hosts share one PostgreSQL database and both made the workbook of the
// day HubSpot refused Jane's contact with INVALID_EMAIL, whose message
// holds her address: the Needs attention sheet's Reason column shows it.
// The retention purge dropping only the dead operation (outbox_days
// shorter than event_days), or syncd erase when the operation died a day
// after its lead came, made again the copy on the host it ran on; the
// other host's copy was never made again, since what it asks of the
// database (RemovedSince) counted events and quarantined bodies of the
// day only, and kept the CRM's message with the address until
// report.keep_days. Each instance now makes its copy again.
func TestEveryInstanceRewritesItsCopyOfADayWhoseDeadOperationWasRemoved(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		retention string
		received  string // how long before the operation died its lead came
		remove    func(t *testing.T, config string) string
	}{
		{"purge", "retention: {event_days: 365, outbox_days: 30}\n", "0", func(t *testing.T, config string) string {
			return syncdOK(t, "purge", "-config", config)
		}},
		{"erase", "", "1 day", func(t *testing.T, config string) string {
			return syncdOK(t, "erase", "-config", config, "-email", e2eJane.email)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			said := "Email address " + e2eJane.email + " is invalid"
			cfgs, books := deadOnTwoHosts(t, tc.retention, tc.received, said)
			if out := tc.remove(t, cfgs[1]); !strings.Contains(out, "report rewritten: "+books[1]) {
				t.Fatalf("%s on host b does not make its copy again:\n%s", tc.name, out)
			}
			if text := workbookText(t, books[1]); strings.Contains(text, said) {
				t.Fatalf("host b's copy made again still says %q", said)
			}
			d := start(t, cfgs[0])
			waitMadeAgain(t, d, books[0])
			if err := d.stop(t, syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if text := workbookText(t, books[0]); strings.Contains(text, said) {
				t.Errorf("host a's copy made again still says %q:\n%s", said, text)
			}
		})
	}
}

// deadOnTwoHosts runs host a (of two sharing one database, with
// retention), whose HubSpot refuses Jane's contact saying said; posts her
// lead and waits for the contact's operation to die; moves its death 40
// days back and its lead's receipt, received (an interval) before that;
// and makes the workbook of the day it died on both hosts, each saying
// said. It returns the configurations and the workbooks.
func deadOnTwoHosts(t *testing.T, retention, received, said string) (cfgs, books []string) {
	t.Helper()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/contacts/**", Action: crmfake.ActError, Status: 400,
		Body: `{"status":"error","category":"VALIDATION_ERROR","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"` +
			said + `\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}]"}`})
	dsn := pgtest.DSN(t)
	crm := fmt.Sprintf("crm:\n  kind: hubspot\n  hubspot:\n    base_url: %s\n    token: fake-private-app-token\n"+
		"sync:\n  schedule: \"@every 1s\"\n  prompt_delay: 100ms\n", url)
	cfgs = pgHosts(t, dsn, "report:\n  time_zone: UTC\n  keep_days: 90\n"+retention+crm, "a", "b")
	d := start(t, cfgs[0])
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(e2eJane.deliveries(t)[1][1])); err != nil || a.Status != "accepted" {
		t.Fatalf("post: %+v %v", a, err)
	}
	waitFor(t, "the contact's operation to die", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", cfgs[0])) > 0
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `UPDATE outbox SET state = CASE WHEN state = 'pending' THEN 'done' ELSE state END,
		created_at = created_at - interval '40 days', updated_at = updated_at - interval '40 days'`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `UPDATE events SET received_at = received_at - interval '40 days' - $1::interval,
		last_delivery_at = last_delivery_at - interval '40 days' - $1::interval`, received); err != nil {
		t.Fatal(err)
	}
	var died time.Time
	if err := conn.QueryRow(ctx, `SELECT max(updated_at) FROM outbox WHERE state = 'dead'`).Scan(&died); err != nil {
		t.Fatal(err)
	}
	day := died.UTC().Format(time.DateOnly)
	for _, cfg := range cfgs {
		book := strings.TrimSpace(syncdOK(t, "report", "-date", day, "-config", cfg))
		if text := workbookText(t, book); !strings.Contains(text, said) {
			t.Fatalf("the workbook %s does not say what HubSpot said, %q: nothing to test\n%s", book, said, text)
		}
		books = append(books, book)
	}
	return cfgs, books
}
