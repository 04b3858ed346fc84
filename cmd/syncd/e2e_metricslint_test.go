package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestMetricsScrapeLintsClean scrapes a real daemon in a state where its
// series exist (leads mapped and synced, a dead letter the CRM refused
// naming the person, a pause, a quarantined body, a delivery with a wrong
// token, a report mailed and refused for one recipient) and checks the
// scrape as an operator's Prometheus takes it: promlint finds nothing
// (counters end in _total, base units, HELP on every metric), no label
// value holds a token, an address, a phone or a webhook path, and more
// leads, people and bodies add no series (no label of unbounded
// cardinality).
func TestMetricsScrapeLintsClean(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	mail := strings.Replace(mailTo("127.0.0.1", smtp.Port), "to: [manager@example.com]", "to: [manager@example.com, sales@refused.example]", 1)
	config := writeCRMConfigOnPort(t, dir, url, true, "report:\n"+mail)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)

	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 1, 1, "the first lead")
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/contacts/**", Action: crmfake.ActError, Status: 400,
		Body: `{"status":"error","category":"VALIDATION_ERROR","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"` +
			`+4552250559 is not a valid phone number for angela7913@hotmail.com\",\"error\":\"INVALID_PHONE\",\"name\":\"phone\"}]"}`})
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "the contact's operation to die", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", config)) > 0
	})
	odd := deliveries(t, d, "1")
	if _, stderr, code := syncdRun(t, "report", "-date", "2026-11-02", "-mail", "-config", config); code != 1 {
		t.Fatalf("report -mail with one address refused: exit %d, want 1\n%s", code, stderr)
	}
	fake.ClearFaults()
	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 401})
	odd = append(odd, anotherLead(t, d, "ida.holm@example.dk", "Ida Holm")...)
	waitFor(t, "the adapter to pause on a 401", func() bool {
		return metricLine(metricsText(t, d.url), `syncd_crm_adapter_paused{adapter="hubspot"}`) == `syncd_crm_adapter_paused{adapter="hubspot"} 1`
	})

	before := scrapeFamilies(t, d)
	body := metricsText(t, d.url)
	for _, want := range []string{`syncd_outbox_ops{state="dead",target="hubspot"} 2`, `syncd_outbox_ops{state="done",target="hubspot"}`,
		`syncd_events_quarantined_total{reason="invalid_json",source="eaf"} 1`, `syncd_events_rejected_total{reason="bad_token",source="eaf"} 1`,
		`syncd_last_report_mail_refused_recipients 1`, `status="400"} 1`} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics has no %s: the state to lint was not reached\n%s", want, d.log())
		}
	}
	lintScrape(t, before, odd)
	mapped := counterSum(before["syncd_events_mapped_total"])
	odd = append(odd, deliveries(t, d, "2")...)
	odd = append(odd, anotherLead(t, d, "bo.nielsen@example.dk", "Bo Nielsen")...)
	var after map[string]*dto.MetricFamily
	waitFor(t, "another lead to be mapped", func() bool {
		after = scrapeFamilies(t, d)
		return counterSum(after["syncd_events_mapped_total"]) > mapped
	})
	lintScrape(t, after, odd)
	was := seriesOf(before)
	for _, s := range seriesOf(after) {
		if strings.HasPrefix(s, "syncd_") && !slices.Contains(was, s) {
			t.Errorf("more leads and bodies added the series %s: a label grows with the deliveries", s)
		}
	}
}

// deliveries posts to d a body that does not parse and one with a wrong
// token, each unlike those of another call (n), and returns what no label
// may hold: the token, the body and the path.
func deliveries(t *testing.T, d *daemon, n string) []string {
	t.Helper()
	body := `{"eaf_type": "email_lead", "contact_email": "kim` + n + `@example.dk",`
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body+"\x00")); err != nil || a.Code != 200 {
		t.Fatalf("post a body that does not parse: %+v %v", a, err)
	}
	wrong := "wrong-token-" + n + "-5f0c2a"
	if a, err := post(d.url+"/hooks/eaf/"+wrong, []byte(body+"}")); err != nil || a.Code == 200 {
		t.Fatalf("post with a wrong token: %+v %v", a, err)
	}
	return []string{wrong, "kim" + n, "/hooks/"}
}

// anotherLead posts the Lokalebasen example as sent by another person.
func anotherLead(t *testing.T, d *daemon, email, name string) []string {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("../../testdata/webhooks", "lokalebasen/enquiry_created.json"))
	if err != nil {
		t.Fatal(err)
	}
	body = []byte(strings.NewReplacer("angela7913@hotmail.com", email, "Angela Baker", name).Replace(string(body)))
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, body); err != nil || a.Code != 200 {
		t.Fatalf("post another lead: %+v %v", a, err)
	}
	return []string{email, name}
}

// scrapeFamilies reads d's /metrics as Prometheus does.
func scrapeFamilies(t *testing.T, d *daemon) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(metricsText(t, d.url)))
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return mfs
}

// lintScrape fails t for what promlint finds in mfs and for a label value
// holding a secret or personal data: one of never, an address, a path.
func lintScrape(t *testing.T, mfs map[string]*dto.MetricFamily, never []string) {
	t.Helper()
	never = append(never, e2eLBToken, e2eEAFToken, "fake-private-app-token", "angela", "Angela", "4552250559", "52 25 05 59",
		"estateagentfeeds", "3870 4550", "refused.example", "manager@", "@", "/hooks/")
	var all []*dto.MetricFamily
	for _, mf := range mfs {
		all = append(all, mf)
	}
	problems, err := promlint.NewWithMetricFamilies(all).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	for _, mf := range all {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				for _, n := range never {
					if strings.Contains(l.GetValue(), n) {
						t.Errorf("%s{%s=%q}: a label value holding %q", mf.GetName(), l.GetName(), l.GetValue(), n)
					}
				}
			}
		}
	}
}

// seriesOf names every series in mfs, labels and all.
func seriesOf(mfs map[string]*dto.MetricFamily) []string {
	var out []string
	for name, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var ls []string
			for _, l := range m.GetLabel() {
				ls = append(ls, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			out = append(out, name+"{"+strings.Join(ls, ",")+"}")
		}
	}
	return out
}

// counterSum adds up the values of a counter's series.
func counterSum(mf *dto.MetricFamily) float64 {
	sum := 0.0
	for _, m := range mf.GetMetric() {
		sum += m.GetCounter().GetValue()
	}
	return sum
}
