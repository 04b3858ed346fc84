package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tailscale/hujson"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// readmeBlocks are the ```yaml blocks of mappings/README.md, each without
// the indentation of its list item.
func readmeBlocks(t *testing.T) (readme string, blocks []string) {
	t.Helper()
	b, err := os.ReadFile(repoRoot + "/mappings/README.md")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?s)\n( *)```yaml\n(.*?)\n *```")
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		var lines []string
		for _, l := range strings.Split(m[2], "\n") {
			lines = append(lines, strings.TrimPrefix(l, m[1]))
		}
		blocks = append(blocks, strings.Join(lines, "\n")+"\n")
	}
	return string(b), blocks
}

// TestEveryYAMLExampleOfTheREADMELoads: an operator copies the README's
// examples. Its fields: example declared a HubSpot type and a Pipedrive
// one in one block, which loads for neither CRM ("string" is not a
// pipedrive field type). Each block loads, for the CRM its comment names
// (HubSpot else); one of properties alone, in a rule.
func TestEveryYAMLExampleOfTheREADMELoads(t *testing.T) {
	_, blocks := readmeBlocks(t)
	if len(blocks) < 3 {
		t.Fatalf("found %d yaml blocks in the README", len(blocks))
	}
	for i, b := range blocks {
		target := "hubspot"
		if strings.Contains(b, "# Pipedrive") || strings.Contains(b, "write: add") {
			target = "pipedrive"
		}
		if strings.HasPrefix(b, "contact:") { // properties of a rule
			b = "rules:\n  - name: r\n    source: lokalebasen\n    event: enquiry_created\n" +
				regexp.MustCompile(`(?m)^`).ReplaceAllString(strings.TrimRight(b, "\n"), "    ") + "\n"
			b = strings.Replace(b, "    deal:\n", "    deal:\n      title: payload.location.id\n", 1)
		}
		if _, err := Parse("readme.yaml", []byte(b), target); err != nil {
			t.Errorf("block %d (%s) does not load: %v\n%s", i+1, target, err, b)
		}
	}
}

// TestTheREADMEsExampleOfCommonChangesDoesWhatItSays: the example file of
// common changes, mapping Estate Agent Feeds' documented example and
// variants of it, sends what its comments say.
func TestTheREADMEsExampleOfCommonChangesDoesWhatItSays(t *testing.T) {
	readme, blocks := readmeBlocks(t)
	var file string
	for _, b := range blocks {
		if strings.Contains(b, "name: eaf-zoopla") {
			file = b
		}
	}
	if file == "" {
		t.Fatal("no example of common changes in the README")
	}
	r, err := Parse("readme.yaml", []byte(file), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(webhooksDir + "/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	lead := func(change map[string]any) Result {
		var p map[string]any
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		for k, v := range change {
			p[k] = v
		}
		b, _ := json.Marshal(p)
		return r.Map(testEvent("eaf", "email_lead", "k", b))
	}
	props := func(res Result) (contact, deal map[string]string) {
		t.Helper()
		if res.State != syncd.MapMapped || len(res.Ops) != 2 {
			t.Fatalf("not mapped: %+v", res)
		}
		return res.Ops[0].Properties, res.Ops[1].Properties
	}

	res := lead(nil)
	c, d := props(res)
	for k, want := range map[string]string{"firstname": "EAF", "lastname": "Support", "portal": "rightmove"} {
		if c[k] != want {
			t.Errorf("contact %s = %q, want %q", k, c[k], want)
		}
	}
	for k, want := range map[string]string{"dealname": "rightmove – 87654321 (EAF Support)", "closedate": "2021-09-20", "pipeline": "default"} {
		if d[k] != want {
			t.Errorf("deal %s = %q, want %q", k, d[k], want)
		}
	}
	// The README's comment says what the deal is named without a reference.
	if _, d := props(lead(map[string]any{"eaf_reference": nil})); d["dealname"] != "rightmove (EAF Support)" ||
		!strings.Contains(readme, `without a reference "rightmove (EAF Support)"`) {
		t.Errorf("without a reference: %q", d["dealname"])
	}
	if _, d := props(lead(map[string]any{"contact_name": ""})); d["dealname"] != "rightmove – 87654321" {
		t.Errorf("without a name: %q", d["dealname"])
	}
	// email_date_time alone is UK clock time: 23:30 on 6 September is the 6th there.
	if _, d := props(lead(map[string]any{"eaf_date": nil, "email_date_time": "2021-09-06 23:30:00"})); d["closedate"] != "2021-09-20" {
		t.Errorf("from email_date_time: %q", d["closedate"])
	}
	if res := lead(map[string]any{"email_source": "zoopla"}); res.Rule != "eaf-zoopla" || res.Ops[1].Properties["pipeline"] != "12345678" {
		t.Errorf("zoopla: %+v", res)
	}
	for _, src := range []string{"zoopla", "rightmove"} {
		if res := lead(map[string]any{"email_source": src, "contact_message_flat": "A TEST, please ignore"}); res.State != syncd.MapIgnored {
			t.Errorf("%s test lead: %s %s", src, res.State, res.Rule)
		}
	}
}

// TestTheREADMEsInlineExpressionsGiveWhatItSays: the expressions the
// README gives in its text for the day 14 days after a Lokalebasen
// enquiry and for a name given apart give what it says.
func TestTheREADMEsInlineExpressionsGiveWhatItSays(t *testing.T) {
	readme, _ := readmeBlocks(t)
	day := regexp.MustCompile("`(formatDate\\(localTime\\(syncd\\.received_at[^`]*AddDate[^`]*)`").FindStringSubmatch(readme)
	join := regexp.MustCompile("`(joinNonEmpty\\(\" \", payload\\.first_name, payload\\.last_name\\))`").FindStringSubmatch(readme)
	if day == nil || join == nil {
		t.Fatalf("the README no longer gives the expressions: %q %q", day, join)
	}
	r := mustParse(t, `rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
    deal:
      dealname: payload.location.id
      closedate: {expr: '`+day[1]+`'}
  - name: split
    source: lokalebasen
    event: viewing_booked
    contact:
      email: payload.email
      name: {expr: '`+join[1]+`'}
`)
	body, err := os.ReadFile(webhooksDir + "/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	if body, err = hujson.Standardize(body); err != nil { // the documented example's trailing commas
		t.Fatal(err)
	}
	ev := testEvent("lokalebasen", "enquiry_created", "k", body)
	ev.ReceivedAt = time.Date(2026, 3, 20, 23, 30, 0, 0, time.UTC) // 21 March in Copenhagen
	ev.ReceivedAtKept = ev.ReceivedAt
	if res := r.Map(ev); len(res.Ops) != 2 || res.Ops[1].Properties["closedate"] != "2026-04-04" {
		t.Errorf("14 days after the receipt: %+v", res)
	}
	for payload, want := range map[string]string{
		`{"email":"a@b.dk","first_name":"Jane","last_name":"Doe"}`: "Jane Doe",
		`{"email":"a@b.dk","first_name":"Jane"}`:                   "Jane",
		`{"email":"a@b.dk","last_name":"Doe"}`:                     "Doe",
	} {
		res := r.Map(testEvent("lokalebasen", "viewing_booked", "k", []byte(`{"event_type":"viewing_booked","payload":`+payload+`}`)))
		if len(res.Ops) != 1 || res.Ops[0].Properties["name"] != want {
			t.Errorf("%s: %+v, want name %q", payload, res, want)
		}
	}
}

// TestTheREADMEsHelperExamplesGiveWhatItSays: the helper table's examples
// written "given" -> "gives" (firstName and lastName, phone, number,
// portalName) give
// what the README says, so that an operator can trust them; number's in
// the region its sign names (£: GB), else Lokalebasen's DK.
func TestTheREADMEsHelperExamplesGiveWhatItSays(t *testing.T) {
	readme, _ := readmeBlocks(t)
	row := func(helper string) string {
		for _, l := range strings.Split(readme, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "| `"+helper+"(") {
				return l
			}
		}
		t.Fatalf("no row for %s in the README's helper table", helper)
		return ""
	}
	names := regexp.MustCompile(`"([^"]*)" -> "([^"]*)", "([^"]*)"`).FindAllStringSubmatch(row("firstName"), -1)
	pair := regexp.MustCompile(`"([^"]*)" -> "([^"]*)"`)
	phones := pair.FindAllStringSubmatch(row("phone"), -1)
	numbers := pair.FindAllStringSubmatch(row("number"), -1)
	if len(names) < 4 || len(phones) < 1 || len(numbers) < 7 {
		t.Fatalf("examples found: %d names, %d phones, %d numbers", len(names), len(phones), len(numbers))
	}
	for _, m := range names {
		if u, err := strconv.Unquote(`"` + m[1] + `"`); err == nil { // "\u200fمحمد علي": an invisible mark, as Go writes it
			m[1] = u
		}
		if f, l := SplitName(m[1]); f != m[2] || l != m[3] {
			t.Errorf("firstName, lastName(%q) = %q, %q; the README says %q, %q", m[1], f, l, m[2], m[3])
		}
	}
	for _, m := range phones {
		if got := E164(m[1], "DK"); got != m[2] {
			t.Errorf("phone(%q) = %q; the README says %q", m[1], got, m[2])
		}
	}
	for _, m := range numbers {
		region := "DK"
		if strings.Contains(m[1], "£") {
			region = "GB"
		}
		if got, err := Number(m[1], region); got != m[2] || err != nil {
			t.Errorf("number(%q) in %s = %q, %v; the README says %q", m[1], region, got, err, m[2])
		}
	}
	portals := pair.FindAllStringSubmatch(row("portalName"), -1)
	if len(portals) < 6 {
		t.Fatalf("examples found: %d portal names", len(portals))
	}
	for _, m := range portals {
		if got := portalName(m[1]); got != m[2] {
			t.Errorf("portalName(%q) = %q; the README says %q", m[1], got, m[2])
		}
	}
}

// TestTheREADMEsFailingExpressionIsWhatTheReasonSays: the README's example
// of an expression that fails for a lead, a jobtitle line added below
// company: in the shipped hubspot/lokalebasen.yaml, gives for a one-word
// name the reason the README quotes, line and column.
func TestTheREADMEsFailingExpressionIsWhatTheReasonSays(t *testing.T) {
	readme, _ := readmeBlocks(t)
	line := regexp.MustCompile("`(jobtitle: \\{expr: [^`]*\\})`, added below\\s+`company:`").FindStringSubmatch(readme)
	reason := regexp.MustCompile("`(contact\\.jobtitle \\(hubspot/lokalebasen\\.yaml:33\\): its expression failed for\\s+this lead: [^`]*\\(at column \\d+\\))`").FindStringSubmatch(readme)
	if line == nil || reason == nil {
		t.Fatalf("the README no longer gives the example: %q %q", line, reason)
	}
	b, err := os.ReadFile(repoRoot + "/mappings/hubspot/lokalebasen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const company = "      company: payload.client.company\n"
	if !strings.Contains(string(b), company) {
		t.Fatal("the shipped hubspot/lokalebasen.yaml maps company no more")
	}
	dir := filepath.Join(t.TempDir(), "hubspot")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(b), company, company+"      "+line[1]+"\n", 1)
	if err := os.WriteFile(filepath.Join(dir, "lokalebasen.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Load(dir, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := EventFromBody(syncd.KindLokalebasen, "lokalebasen", "", []byte(
		`{"event_type":"enquiry_created","payload":{"client":{"email":"kim@example.dk","name":"Kim"},"location":{"id":"1"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join(strings.Fields(reason[1]), " ")
	if res := r.Map(ev); res.State != syncd.MapUnmappable || !strings.Contains(res.Reason, want) {
		t.Errorf("reason %q, the README says %q", res.Reason, want)
	}
}
