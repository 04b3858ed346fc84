package mapping

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/mapping and testdata/htmltext")

const (
	repoRoot     = "../.."
	webhooksDir  = repoRoot + "/testdata/webhooks"
	mappingsDir  = repoRoot + "/mappings"
	testdataRoot = repoRoot + "/testdata/mapping"
)

var targets = []string{"hubspot", "pipedrive"}

// examples lists the fixture payloads as (kind, path).
func examples(t testing.TB) map[string]syncd.Kind {
	t.Helper()
	out := map[string]syncd.Kind{}
	for _, k := range []syncd.Kind{syncd.KindLokalebasen, syncd.KindEAF} {
		files, err := filepath.Glob(filepath.Join(webhooksDir, string(k), "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no fixtures for %s: %v", k, err)
		}
		for _, f := range files {
			out[f] = k
		}
	}
	return out
}

// fixtureEvent makes a stored-looking event from a fixture file.
func fixtureEvent(t testing.TB, kind syncd.Kind, path string) syncd.Event {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := EventFromBody(kind, string(kind), "", body)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	ev.ID = 42
	ev.ReceivedAt = time.Date(2021, 9, 6, 5, 28, 7, 0, time.UTC)
	return ev
}

// goldenResult is what a golden file holds: the result without the mapping
// hash (asserted separately, so editing a comment does not churn goldens).
type goldenResult struct {
	State  syncd.MapState `json:"state"`
	Reason string         `json:"reason,omitempty"`
	Rule   string         `json:"rule,omitempty"`
	Ops    []goldenOp     `json:"ops"`
}

type goldenOp struct {
	Target      string            `json:"target"`
	Kind        syncd.RecordKind  `json:"kind"`
	Key         string            `json:"key"`
	ContactKey  string            `json:"contact_key,omitempty"`
	MappingFile string            `json:"mapping_file"`
	Properties  map[string]string `json:"properties"`
}

func toGolden(res Result) goldenResult {
	g := goldenResult{State: res.State, Reason: res.Reason, Rule: res.Rule, Ops: []goldenOp{}}
	for _, op := range res.Ops {
		g.Ops = append(g.Ops, goldenOp{op.Target, op.Kind, op.Key, op.ContactKey, op.MappingFile, op.Properties})
	}
	return g
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestGolden maps every fixture payload with every shipped mapping and
// compares the operations with testdata/mapping/golden.
func TestGolden(t *testing.T) {
	for _, target := range targets {
		rules, err := Load(filepath.Join(mappingsDir, target), target)
		if err != nil {
			t.Fatalf("load %s: %v", target, err)
		}
		for path, kind := range examples(t) {
			name := strings.TrimSuffix(filepath.Base(path), ".json")
			t.Run(target+"/"+string(kind)+"/"+name, func(t *testing.T) {
				res := rules.Map(fixtureEvent(t, kind, path))
				for _, op := range res.Ops {
					content, err := os.ReadFile(filepath.Join(mappingsDir, op.MappingFile))
					if err != nil {
						t.Fatal(err)
					}
					sum := sha256.Sum256(content)
					if op.MappingHash != hex.EncodeToString(sum[:]) {
						t.Errorf("%s op: mapping hash %s is not the file's SHA-256", op.Kind, op.MappingHash)
					}
					if op.EventID != 42 {
						t.Errorf("%s op: event id %d, want 42", op.Kind, op.EventID)
					}
				}
				got, err := json.MarshalIndent(toGolden(res), "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join(testdataRoot, "golden", target, string(kind), name+".json"), append(got, '\n'))
			})
		}
	}
}

// TestEnquiryDayIsTheUKs: Pipedrive's "syncd enquiry at" is a date without
// a time, so it is the day in the UK, where the lead was sent, not in UTC:
// a lead at 00:30 British summer time is of that day, not the day before.
func TestEnquiryDayIsTheUKs(t *testing.T) {
	rules, err := Load(filepath.Join(mappingsDir, "pipedrive"), "pipedrive")
	if err != nil {
		t.Fatal(err)
	}
	for date, want := range map[string]string{
		"2021-09-06T00:30:00+01:00": "2021-09-06", // summer: 23:30 UTC the day before
		"2021-12-06T00:30:00+00:00": "2021-12-06",
		"2021-09-05T23:59:59+01:00": "2021-09-05",
	} {
		path := filepath.Join(t.TempDir(), "email_lead.json")
		body, _ := os.ReadFile(filepath.Join(webhooksDir, "eaf", "email_lead.json"))
		os.WriteFile(path, bytes.Replace(body, []byte("2021-09-06T06:28:06+01:00"), []byte(date), 1), 0o600)
		res := rules.Map(fixtureEvent(t, syncd.KindEAF, path))
		if len(res.Ops) != 2 || res.Ops[1].Properties["syncd enquiry at"] != want {
			t.Errorf("eaf_date %s: %+v, want syncd enquiry at %s", date, res.Ops, want)
		}
	}
}

// TestEmailDateTimeIsUKTime: without eaf_date and eaf_timestamp, the
// enquiry time is email_date_time, which Estate Agent Feeds writes in UK local time without
// an offset ("2021-09-06 06:28:06" beside "2021-09-06T06:28:06+01:00"). Both
// CRMs read it in Europe/London: HubSpot's instant and Pipedrive's day. Of
// the hour repeated when the clocks go back, the first is meant; a time in
// the hour skipped when they go forward is read with the offset before it.
func TestEmailDateTimeIsUKTime(t *testing.T) {
	for _, tc := range []struct{ local, hubspot, pipedrive string }{
		{"2021-09-06 06:28:06", "2021-09-06T05:28:06Z", "2021-09-06"}, // British summer time
		{"2021-09-05 23:30:00", "2021-09-05T22:30:00Z", "2021-09-05"},
		{"2021-12-06 06:28:06", "2021-12-06T06:28:06Z", "2021-12-06"}, // Greenwich mean time
		{"2021-10-31 01:30:00", "2021-10-31T00:30:00Z", "2021-10-31"}, // 01:30 BST, not GMT
		{"2021-03-28 01:30:00", "2021-03-28T01:30:00Z", "2021-03-28"}, // does not exist: 02:30 BST
	} {
		checkEnquiryAt(t, "email_date_time "+tc.local, tc.hubspot, tc.pipedrive, func(p map[string]any) {
			delete(p, "eaf_date")
			delete(p, "eaf_timestamp")
			p["email_date_time"] = tc.local
		})
	}
}

// TestEnquiryTimeWithoutEAFDateIsEAFTimestamp: a lead without eaf_date (or
// with it blank) has its enquiry time from eaf_timestamp, which Estate Agent
// Feeds documents as the same instant in Unix seconds, before
// email_date_time. Before, such a lead took email_date_time, and one
// without that too reached the CRM with no enquiry time.
func TestEnquiryTimeWithoutEAFDateIsEAFTimestamp(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(map[string]any)
	}{
		{"no eaf_date", func(p map[string]any) { delete(p, "eaf_date") }},
		{"eaf_date blank", func(p map[string]any) { p["eaf_date"] = " " }},
		{"no eaf_date nor email_date_time", func(p map[string]any) { delete(p, "eaf_date"); delete(p, "email_date_time") }},
		{"email_date_time another hour", func(p map[string]any) { delete(p, "eaf_date"); p["email_date_time"] = "2021-09-06 09:00:00" }},
	} {
		checkEnquiryAt(t, tc.name, "2021-09-06T05:28:06Z", "2021-09-06", func(p map[string]any) {
			p["eaf_timestamp"] = 1630906086 // 2021-09-06T05:28:06Z
			tc.change(p)
		})
	}
}

// checkEnquiryAt maps the sample email lead, changed by change, with each
// CRM's shipped files, and checks the deal's enquiry time: hubspot's
// syncd_enquiry_at, pipedrive's syncd enquiry at.
func checkEnquiryAt(t *testing.T, name, hubspot, pipedrive string, change func(map[string]any)) {
	t.Helper()
	var payload map[string]any
	body, _ := os.ReadFile(filepath.Join(webhooksDir, "eaf", "email_lead.json"))
	if err := json.Unmarshal(body, &payload); err != nil {
		t.Fatal(err)
	}
	change(payload)
	body, _ = json.Marshal(payload)
	path := filepath.Join(t.TempDir(), "email_lead.json")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	for target, want := range map[string][2]string{
		"hubspot": {"syncd_enquiry_at", hubspot}, "pipedrive": {"syncd enquiry at", pipedrive},
	} {
		rules, err := Load(filepath.Join(mappingsDir, target), target)
		if err != nil {
			t.Fatal(err)
		}
		res := rules.Map(fixtureEvent(t, syncd.KindEAF, path))
		if len(res.Ops) != 2 || res.Ops[1].Properties[want[0]] != want[1] {
			t.Errorf("%s, %s: %+v, want %s %s", target, name, res.Ops, want[0], want[1])
		}
	}
}
