package main_test

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// logLead is one person whose every detail must stay out of the info log.
type logLead struct{ name, email, phone, e164, company, message string }

func logLeads(n int) []logLead {
	var out []logLead
	for i := 0; i < n; i++ {
		out = append(out, logLead{
			name:    fmt.Sprintf("Zelda Quixotic%02d", i),
			email:   fmt.Sprintf("zelda.quixotic%02d@privatemail.dk", i),
			phone:   fmt.Sprintf("61 7%d 44 %02d", i%10, i),
			e164:    fmt.Sprintf("+45617%d44%02d", i%10, i),
			company: fmt.Sprintf("Quixotic Holdings %02d", i),
			message: fmt.Sprintf("Confidential: my divorce settlement number %02d", i),
		})
	}
	return out
}

// needles are the lead's details as a sender wrote them and as the CRM
// got them; the name's parts alone too.
func (p logLead) needles() []string {
	first, last, _ := strings.Cut(p.name, " ")
	return []string{p.name, first, last, p.email, p.phone, p.e164, strings.TrimPrefix(p.e164, "+45"),
		p.company, p.message, "divorce settlement"}
}

// deliveries are a day's traffic of the lead from both senders: a
// Lokalebasen enquiry, an Estate Agent Feeds email lead, and the awkward
// ones: a body that does not parse, a misrouted body, an email address as
// an event type, a body in Latin-1, and a wrong token and Basic password
// made of the person's details.
func (p logLead) deliveries(i int) []logDelivery {
	lb := fmt.Sprintf(`{"event_type": "enquiry_created", "payload": {"location": {"id": "%d", "external_key": "EJ-%d",
 "href": "https://www.lokalebasen.dk/leje/x-%d"}, "enquiry": {"type": "extra",},
 "client": {"email": %q, "name": %q, "company": %q, "phone": %q,}, "comment": %q}}`,
		2000+i, i, i, p.email, p.name, p.company, p.phone, "<p>"+p.message+"</p>")
	eaf := fmt.Sprintf(`{"eaf_type": "email_lead", "eaf_id": "%d", "email_source": "rightmove",
 "email_date_time": "2026-11-30 06:28:06", "contact_name": %q, "contact_email": %q, "contact_phone": %q,
 "contact_message_flat": %q, "contact_message_html": %q, "eaf_reference": "8765", "eaf_portal_reference": "8765_EAF_1",
 "eaf_date": "2026-11-30T06:28:06+01:00", "eaf_timestamp": 1764480486}`,
		55500000+i, p.name, strings.ToUpper(p.email), "+45 "+p.phone, p.message, "<b>"+p.message+"</b>")
	ds := []logDelivery{{"lokalebasen", lb, 200}, {"eaf", eaf, 200}, {"eaf", eaf, 200}}
	if i%2 == 0 {
		latin1 := []byte(`{"event_type": "enquiry_created", "payload": {"client": {"name": "` + p.name + " S\xf8rensen\"}}}")
		ds = append(ds,
			logDelivery{"eaf", `{"eaf_type": "email_lead" "contact_name": "` + p.name + `", "contact_email": "` + p.email + `"`, 200},
			logDelivery{"lokalebasen", strings.Replace(eaf, `"email_lead"`, `"email_lead", "x": 1`, 1), 200},
			logDelivery{"lokalebasen", `{"event_type": "` + p.email + `", "payload": {"client": {"name": "` + p.name + `"}}}`, 200},
			logDelivery{"lokalebasen", string(latin1), 200},
			logDelivery{"badtoken:" + p.email, lb, 401},
		)
	}
	return ds
}

type logDelivery struct {
	source, body string
	want         int
}

// TestInfoLogHoldsNoPersonalData runs the real daemon at the default log
// level through a day's worth of traffic from both senders, against a
// HubSpot and then a Pipedrive stand-in whose faults echo the record in
// their error bodies (a 400 naming the email, name and phone, an HTML 500, a
// dropped connection, a 429), with a report whose mail fails, and searches
// every log line for the leads' names, emails, phones, companies, messages,
// and for the tokens and passwords of the configuration.
func TestInfoLogHoldsNoPersonalData(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the daemon through a day's traffic twice")
	}
	people := logLeads(6)
	for _, kind := range []string{crmfake.KindHubSpot, crmfake.KindPipedrive} {
		t.Run(kind, func(t *testing.T) {
			logs, secrets := logPrivacyRun(t, kind, people)
			for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
				if k := duplicateKey(t, line); k != "" {
					t.Errorf("key %q twice in: %s", k, line)
				}
				low := strings.ToLower(line)
				for _, p := range people {
					for _, n := range p.needles() {
						if strings.Contains(low, strings.ToLower(n)) {
							t.Errorf("%q in the info log: %s", n, line)
						}
					}
				}
				for _, s := range secrets {
					if strings.Contains(line, s) {
						t.Errorf("secret %q in the info log: %s", s, line)
					}
				}
			}
			if !strings.Contains(logs, `"message":"mail report"`) || !strings.Contains(logs, `"message":"delivery rejected"`) ||
				!strings.Contains(logs, `"outcome":"quarantined"`) {
				t.Errorf("the traffic did not make the lines searched:\n%s", logs)
			}
		})
	}
}

// logPrivacyRun runs the daemon against a stand-in CRM of kind through the
// people's traffic and returns its log and the configuration's secrets.
func logPrivacyRun(t *testing.T, kind string, people []logLead) (string, []string) {
	crmToken, smtpPass := "crm-token-"+kind+"-9f8e7d6c", "smtp-password-5a4b3c2d"
	fake, url := startFakeCRM(t, crmfake.Options{Kind: kind, Token: crmToken})
	smtp := mailtest.Start(t, "reports", "the-right-one")
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	maps, _ := filepath.Abs("../../mappings/" + kind)
	settle := "" // a Pipedrive create whose answer was lost waits this long before it looks again
	if kind == crmfake.KindPipedrive {
		settle = ", settle_time: 2s"
	}
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, fmt.Sprintf(`crm:
  kind: %[1]s
  %[1]s: {base_url: %[2]s, token: %[3]s%[7]s}
sync: {schedule: "@every 1s", prompt_delay: 100ms}
report:
  mail: {host: %[4]s, port: %[5]d, tls: none, username: reports, password: %[6]s, from: syncd@agency.example, to: [manager@agency.example]}
`, kind, url, crmToken, smtp.Host, smtp.Port, smtpPass, settle)), filepath.Join(filepath.Dir(maps), "hubspot"), maps, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, _, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s", code, out)
	}
	installedDaysAgo(t, filepath.Join(dir, "data", "syncd.db"), 3) // so the daemon makes and mails yesterday's report
	echo := fmt.Sprintf(`{"status":"error","message":"Property values were not valid: %s (%s, %s) is invalid","category":"VALIDATION_ERROR"}`,
		people[1].email, people[1].name, people[1].e164)
	write := "/crm/v3/objects/contacts/batch/upsert"
	if kind == crmfake.KindPipedrive {
		echo = fmt.Sprintf(`{"success":false,"error":"Invalid value %s for field email (%s, %s)"}`, people[1].email, people[1].name, people[1].e164)
		write = "/api/v2/persons"
	}
	for _, f := range []crmfake.Fault{
		{Method: "POST", Path: write, Action: crmfake.ActError, Status: 400, Body: echo, Uses: 2},
		{Method: "POST", Path: write, Action: crmfake.ActError, Status: 500, HTML: true, Uses: 1},
		{Path: "/**", Nth: 4, Action: crmfake.ActDrop, Uses: 1},
		{Path: "/**", Nth: 6, Action: crmfake.ActRateLimit, RetryAfter: "1", Uses: 1},
	} {
		fake.AddFault(f)
	}

	d := start(t, config)
	for i, p := range people {
		for _, dl := range p.deliveries(i) {
			postAs(t, d, dl)
		}
	}
	var last string
	defer func() {
		if t.Failed() {
			t.Logf("last status:\n%s\nlog:\n%s", last, d.log())
		}
	}()
	waitFor(t, "every fault to fire and most leads to reach the CRM", func() bool {
		for _, f := range fake.Faults() {
			if f.Fired < f.Fault.Uses {
				return false
			}
		}
		out, _, _ := syncdRun(t, "status", "-config", config)
		last = out
		return len(fake.State().Contacts) >= len(people)-3 // two dead letters, one create in doubt
	})
	waitFor(t, "the report's mail to fail", func() bool { return strings.Contains(d.log(), `"message":"mail report"`) })
	d.cmd.Process.Signal(syscall.SIGHUP) // a reload logs the configuration it read
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"message":"reloaded"`) })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	return d.log(), []string{crmToken, smtpPass, e2eLBToken, e2eEAFToken, "the-right-one"}
}

// postAs posts one delivery; a source "badtoken:X" posts to eaf with X as
// the token and as the Basic password.
func postAs(t *testing.T, d *daemon, dl logDelivery) {
	t.Helper()
	src, tok := dl.source, e2eLBToken
	if src == "eaf" {
		tok = e2eEAFToken
	}
	if bad, ok := strings.CutPrefix(src, "badtoken:"); ok {
		src, tok = "eaf", bad
	}
	req, _ := http.NewRequest(http.MethodPost, d.url+"/hooks/"+src+"/"+tok, strings.NewReader(dl.body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("eafuser:"+tok)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != dl.want {
		t.Fatalf("POST %s: %d, want %d", src, resp.StatusCode, dl.want)
	}
}

// installedDaysAgo records the database as first run days ago, as an
// installation that has run for a while is: its daemon makes yesterday's
// report at start.
func installedDaysAgo(t *testing.T, path string, days int) {
	t.Helper()
	makeDB(t, filepath.Dir(filepath.Dir(path)))
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at, _ := json.Marshal(time.Now().AddDate(0, 0, -days).UTC())
	_, err = db.ExecContext(context.Background(), `INSERT INTO state (name, value, updated_at) VALUES ('installed_at', ?, ?)
ON CONFLICT (name) DO UPDATE SET value = excluded.value`, strings.Trim(string(at), `"`), strings.Trim(string(at), `"`))
	if err != nil {
		t.Fatal(err)
	}
}

// TestLogLinesHaveNoDuplicateKeys: every log line is a JSON object whose
// keys are unique, as log stores such as Elasticsearch require (they
// refuse a document with a key twice). The warnings a reload logs said
// "config" twice: the reload's logger and each warning both named the file.
func TestLogLinesHaveNoDuplicateKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	if err := os.Chmod(config, 0o644); err != nil { // tokens every local user can read: a warning at start and reload
		t.Fatal(err)
	}
	d := start(t, config)
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"message":"reloaded"`) })
	d.stop(t, syscall.SIGTERM)
	logs := d.log()
	if strings.Count(logs, "every local user can read") < 2 {
		t.Fatalf("no warning at start and at reload:\n%s", logs)
	}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		if k := duplicateKey(t, line); k != "" {
			t.Errorf("key %q twice in: %s", k, line)
		}
	}
}

// duplicateKey returns a key that occurs twice at the top of the JSON
// object line, or "".
func duplicateKey(t *testing.T, line string) string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %s", line)
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		k := tok.(string)
		if seen[k] {
			return k
		}
		seen[k] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
	}
	return ""
}
