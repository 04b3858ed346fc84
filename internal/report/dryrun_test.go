package report_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestDryRunLeadsAreNotSentToACRM: on the day the agency set its CRM
// after the dry run (crm.kind dryrun, the example configuration's), the
// report counted every lead under the one label of whichever lead came
// last, all "Sent to HubSpot" or all "Not sent: dry run", and showed the
// dry run's made-up ids (dry-…) as a lead's contact and deal. The dry
// run's leads are counted and shown apart, with no ids, and the mail says
// they were taken before HubSpot and how to send them, whichever crm.kind
// the report is made with.
func TestDryRunLeadsAreNotSentToACRM(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	morning := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	lb := fixture(t, "lokalebasen/enquiry_created.json")
	trial := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning, mapState: "pending", body: lb})
	insertOp(t, db, trial, op{kind: "contact", state: "done", crmID: "dry-5d500c5cf5374607", at: morning, target: "dryrun"})
	insertOp(t, db, trial, op{kind: "deal", state: "done", crmID: "dry-79d05a94ffc86629", at: morning, target: "dryrun"})
	sent := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: morning.Add(time.Hour), mapState: "pending",
		body: []byte(strings.Replace(string(lb), "grand view", "grand view 2", 1))})
	insertOp(t, db, sent, op{kind: "contact", state: "done", crmID: "1001", at: morning.Add(time.Hour)})
	const dryRun = "Not sent: dry run"

	for _, crm := range []string{"dryrun", "hubspot"} {
		t.Run(crm, func(t *testing.T) {
			srv := mailtest.Start(t, "syncd", "pw")
			path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2}, report.Options{Store: db,
				Dir: t.TempDir(), Location: time.UTC, CRM: crm, Mailer: mailer(t, srv),
				Now: func() time.Time { return morning.Add(24 * time.Hour) }})
			if err != nil {
				t.Fatal(err)
			}
			book := openBook(t, path)
			leads := rows(t, book, "Leads")
			if len(leads) != 3 || leads[1][11] != dryRun || slices.ContainsFunc(leads[1], func(c string) bool { return strings.HasPrefix(c, "dry-") }) ||
				leads[2][11] != "Sent to HubSpot" {
				t.Errorf("Leads: %q; want the trial's CRM cell %q and no dry run id, the other's %q", leads, dryRun, "Sent to HubSpot")
			}
			counted := map[string]string{}
			for _, row := range rows(t, book, "Summary") {
				if len(row) > 1 {
					counted[row[0]] = row[1]
				}
			}
			if counted[dryRun] != "1" || counted["Sent to HubSpot"] != "1" {
				t.Errorf("the Summary does not count 1 lead %q and 1 %q:\n%q", dryRun, "Sent to HubSpot", rows(t, book, "Summary"))
			}
			p := srv.Only(t)
			if !strings.Contains(p.Text, "1 not sent: dry run") || !strings.Contains(p.Text, "taken by the dry run syncd ran on before HubSpot") ||
				strings.Contains(p.Text, "runs without a CRM") || strings.Contains(p.Text, "ent to Dryrun") {
				t.Errorf("the mail does not say the trial's lead is in no CRM, taken before HubSpot:\n%s", p.Text)
			}
		})
	}
}
