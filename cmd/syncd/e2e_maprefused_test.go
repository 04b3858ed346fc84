package main_test

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// refusedLead is an Estate Agent Feeds lead from who@example.com with
// its own eaf_id.
func refusedLead(who, id string) []byte {
	return []byte(fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"%s","email_source":"rightmove","contact_name":"P %s",`+
		`"contact_email":"%s@example.com","contact_message_flat":"Hello","eaf_portal_reference":"REF-%s"}`, id, who, who, id))
}

// TestOneLeadTheDatabaseRefusesHoldsUpNoOther: a lead whose operations
// the database refuses (on PostgreSQL a contact email holding a NUL was
// one) failed the mapping worker's whole batch, retried for ever: every
// lead received after it stayed unmapped, with status saying nothing. The
// mapper still produces nothing either store refuses today, so the test
// makes the real database refuse one contact's operation with a trigger,
// as a constraint would. The leads beside it reach the CRM; it is
// unmappable, saying the database refused it, in syncd events list.
func TestOneLeadTheDatabaseRefusesHoldsUpNoOther(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			d, config := oneLeadRefused(t, kind, 5550)
			var found bool
			for _, ev := range syncdJSON(t, "events", "list", "-json", "-config", config) {
				reason, _ := ev["map_error"].(string)
				if ev["map_state"] == "unmappable" {
					found = true
					mustContain(t, "the refused lead's reason", reason, "the database refused", "refused by a constraint")
				}
			}
			if !found {
				t.Errorf("no unmappable event in syncd events list\n%s", d.log())
			}
			mustContain(t, "the log", d.log(), `lead unmappable: the store refused its operations`)
		})
	}
}

// TestReplayGoesOnPastALeadTheDatabaseRefuses: syncd replay (after a
// mapping fix, say) stopped at the first lead whose operations the
// database refuses, "replay event N: … refused by a constraint", exit 1,
// and replayed none of the events after it. It leaves that event as it
// was, names it with the database's reason, replays the others and exits
// 5: a person enters that lead by hand.
func TestReplayGoesOnPastALeadTheDatabaseRefuses(t *testing.T) {
	t.Parallel()
	_, config := oneLeadRefused(t, "sqlite", 6660)
	out, stderr, code := syncdRun(t, "replay", "-config", config)
	if code != 5 {
		t.Errorf("replay past a lead the database refuses: exit %d, want 5\n%s%s", code, out, stderr)
	}
	mustContain(t, "replay's output", out, "replay: 3 events",
		"the database refused the new operations of 1 event, left as it was: 2 (", "refused by a constraint")
}

// oneLeadRefused starts a daemon on a database of kind (sqlite or
// postgres) that refuses the operations of the second of three leads
// posted to it, their eaf_ids from base, and waits for the other two in
// the CRM.
func oneLeadRefused(t *testing.T, kind string, base int) (*daemon, string) {
	t.Helper()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	var store, dsn string
	if kind == "postgres" {
		dsn = pgtest.DSN(t)
		store = pgStore(t, dir, dsn)
	}
	config := writeCRMConfigOnPort(t, dir, fakeURL, true, store)
	d := start(t, config)
	refuseContact(t, dir, dsn, "refused@example.com")
	for i, who := range []string{"first", "refused", "third"} {
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, refusedLead(who, fmt.Sprint(base+i))); err != nil || a.Code != 200 {
			t.Fatalf("post %s: %+v %v", who, a, err)
		}
	}
	waitFor(t, "two good leads beside one the database refuses in the CRM", func() bool {
		s := fake.State()
		return len(s.Contacts) == 2 && len(s.Deals) == 2
	})
	return d, config
}

// refuseContact makes the database (dsn, or dir's SQLite file) refuse
// every outbox operation of the contact key, as a constraint would.
func refuseContact(t *testing.T, dir, dsn, key string) {
	t.Helper()
	if dsn != "" {
		pgtest.RefuseContact(t, dsn, key)
		return
	}
	db := openDB(t, filepath.Join(dir, "data", "syncd.db"))
	_, err := db.Exec(`CREATE TRIGGER refuse_one BEFORE INSERT ON outbox
		WHEN NEW.key = '` + key + `' OR NEW.contact_key = '` + key + `'
		BEGIN SELECT RAISE(ABORT, 'refused by a constraint'); END`)
	if err != nil {
		t.Fatal(err)
	}
}

// TestMappingThroughAnOutageSetsNoLeadAside: on PostgreSQL, mapping
// writes that fail for every lead (here a trigger refuses every mapping
// as a standby promoted read-only does, then the database is cut off
// from the daemon) must set no lead aside as unmappable: every event's
// write fails alone and so does the write that would mark it. Once the
// database is back, every lead reaches the CRM.
func TestMappingThroughAnOutageSetsNoLeadAside(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	link := newDBLink(t, u.Host)
	via := *u
	via.Host = link.addr
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, fakeURL, true, pgStore(t, dir, via.String()))
	d := start(t, config)
	pgExec(t, dsn, `CREATE FUNCTION read_only() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			RAISE EXCEPTION 'cannot execute UPDATE in a read-only transaction' USING ERRCODE = 'read_only_sql_transaction';
		END $$;
		CREATE TRIGGER read_only BEFORE UPDATE OF map_state ON events FOR EACH ROW EXECUTE FUNCTION read_only()`)
	for i, who := range []string{"first", "second", "third"} {
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, refusedLead(who, fmt.Sprint(7770+i))); err != nil || a.Code != 200 {
			t.Fatalf("post %s: %+v %v", who, a, err)
		}
	}
	waitFor(t, "a mapping pass to fail", func() bool { return strings.Contains(d.log(), `"message":"map events"`) })
	link.cut()
	waitReady(t, d.url, 503)
	pgExec(t, dsn, `DROP TRIGGER read_only ON events`)
	link.mend(t)
	waitFor(t, "the three leads in the CRM once the database is back", func() bool {
		s := fake.State()
		return len(s.Contacts) == 3 && len(s.Deals) == 3
	})
	for _, ev := range syncdJSON(t, "events", "list", "-json", "-config", config) {
		if ev["map_state"] != "mapped" {
			t.Errorf("event %v %v through the outage: %v", ev["id"], ev["map_state"], ev["map_error"])
		}
	}
}

// TestReportAlarmsOnLeadsNotMapped: with the mapping worker stuck (here
// the database refuses every mapping of an event, as a trigger makes it),
// leads wait unmapped and never reach the CRM; the daily report, which
// counts and lists the day's leads, said nothing of it. It now shows an
// alarm naming how many were received over 10 minutes ago and are not
// mapped yet.
func TestReportAlarmsOnLeadsNotMapped(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, fakeURL, true)
	d := start(t, config)
	db := openDB(t, filepath.Join(dir, "data", "syncd.db"))
	if _, err := db.Exec(`CREATE TRIGGER refuse_all BEFORE UPDATE OF map_state ON events
		BEGIN SELECT RAISE(ABORT, 'refused by a constraint'); END`); err != nil {
		t.Fatal(err)
	}
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "a mapping pass to fail", func() bool { return strings.Contains(d.log(), `"message":"map events"`) })
	alarm := func() string {
		day := leadsDay(t, config)
		out, stderr, code := syncdRun(t, "report", "-date", day, "-config", config)
		if code != 0 {
			t.Fatalf("report: exit %d\n%s%s", code, out, stderr)
		}
		var alarms []string
		for line := range strings.Lines(workbookText(t, strings.TrimSpace(out))) {
			if strings.HasPrefix(line, "ALARM: ") {
				alarms = append(alarms, line)
			}
		}
		return strings.Join(alarms, "")
	}
	if a := alarm(); strings.Contains(a, "not mapped") {
		t.Errorf("an alarm for a lead received just now:\n%s", a)
	}
	then := time.Now().Add(-11 * time.Minute).UTC().Format(syncd.TimeFormat)
	if _, err := db.Exec(`UPDATE events SET received_at = ?`, then); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "the report's alarms", alarm(), "1 event received more than 10 minutes ago is not mapped yet")
}
