package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSettingsLinesNameOnlyWhatDiffers: status names each instance whose
// settings differ from the first recording one's, and in which; an
// instance on an older syncd, which records none, is not named.
func TestSettingsLinesNameOnlyWhatDiffers(t *testing.T) {
	t.Parallel()
	in := func(pid int, settings string) syncd.Instance {
		return syncd.Instance{Host: "h", PID: pid, Settings: settings, SeenAt: time.Now()} // each beating
	}
	a := `{"crm":"1","mappings":"2","retention":"3"}`
	b := `{"crm":"1","mappings":"9","retention":"8"}`
	lines, _ := settingsLines([]syncd.Instance{in(1, ""), in(2, a), in(3, a), in(4, b), in(5, "")}, time.Now())
	got := strings.Join(lines, "\n")
	want := "settings differ: h pid 4 from h pid 2 in mappings, retention\n  " + settingsAdvice
	if got != want {
		t.Fatalf("lines:\n%s\nwant:\n%s", got, want)
	}
	if got, _ := settingsLines([]syncd.Instance{in(1, ""), in(2, a), in(3, a)}, time.Now()); len(got) != 0 {
		t.Fatalf("instances that agree: %q", got)
	}
}

// TestSettingsDifferingForLongNeedAttention: settings that differ were
// listed by syncd status, which still exited 0, so a monitoring script
// never heard of a host left out of a configuration change (refusing the
// deliveries sent to it with a token the others accept, or mapping leads
// its own way). Now status says for how long they have differed, and past
// settingsGrace (a reload of each host in turn takes less) needs
// attention: exit 5. Times recorded by no instance change nothing.
func TestSettingsDifferingForLongNeedAttention(t *testing.T) {
	t.Parallel()
	now := time.Now()
	in := func(pid int, settings string, at time.Duration) syncd.Instance {
		i := syncd.Instance{Host: "h", PID: pid, Listen: "127.0.0.1:1", StartedAt: now.Add(-time.Hour), SeenAt: now,
			Version: "1.4.0", Schema: 8, Settings: settings}
		if at > 0 {
			i.SettingsAt = now.Add(-at)
		}
		return i
	}
	a, b := `{"sources":"1","crm":"2"}`, `{"sources":"9","crm":"2"}`
	for _, c := range []struct {
		name      string
		ins       []syncd.Instance
		attention bool
		want      string
	}{
		{"a reload under way", []syncd.Instance{in(1, a, time.Hour), in(2, b, 2*time.Minute)}, false,
			"settings differ: h pid 2 from h pid 1 in sources for 2m\n"},
		{"a host left out", []syncd.Instance{in(1, a, 15*time.Minute), in(2, b, time.Hour)}, true,
			"settings differ: h pid 2 from h pid 1 in sources for 15m (over 10m: NEEDS ATTENTION)\n"},
		{"no times recorded", []syncd.Instance{in(1, a, 0), in(2, b, 0)}, false,
			"settings differ: h pid 2 from h pid 1 in sources\n"},
		{"all agree", []syncd.Instance{in(1, a, time.Hour), in(2, a, time.Hour)}, false, ""},
	} {
		var out strings.Builder
		_, attention, err := writeCluster(context.Background(), &out, rows{ins: c.ins})
		if err != nil {
			t.Fatal(err)
		}
		if attention != c.attention || !strings.Contains(out.String(), c.want) {
			t.Errorf("%s: attention %v, want %v; status:\n%s\nwant a line: %s", c.name, attention, c.attention, out.String(), c.want)
		}
	}
}

// TestSettingsDigestIgnoresWhatIsEachHosts: two hosts' configurations
// that differ only in what is each host's own (listen, data_dir,
// report.dir, the order of tokens) agree; another token does not.
func TestSettingsDigestIgnoresWhatIsEachHosts(t *testing.T) {
	t.Parallel()
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	conf := func(listen, dir, tokens string) string {
		cfg, err := config.Parse("syncd.yaml", []byte("listen: "+listen+"\ndata_dir: "+dir+
			"\nmapping:\n  dir: ../../mappings/hubspot\nsources:\n  lb:\n    kind: lokalebasen\n    tokens: ["+tokens+"]\nreport:\n  dir: "+dir+"/r\n"), func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		return clusterSettings(cfg, rules)
	}
	a := conf("10.0.0.11:8080", "/srv/a", "token-one-0123456789, token-two-0123456789")
	b := conf("10.0.0.12:8080", "/srv/b", "token-two-0123456789, token-one-0123456789")
	c := conf("10.0.0.12:8080", "/srv/b", "token-one-0123456789")
	if d := settingsDiffer(a, b); len(d) != 0 {
		t.Fatalf("hosts alike said to differ in %v", d)
	}
	if d := settingsDiffer(a, c); strings.Join(d, ",") != "sources" {
		t.Fatalf("a token less: differ in %v, want sources", d)
	}
}

// TestRetentionSettingsAgreeAcrossTheUpgrade: retention.erasure_days is new;
// an instance on the older syncd digests the retention as "{90 90 90 0}",
// and one on this syncd at the default must agree with it (an upgrade
// under way is no settings difference), while another erasure_days is one.
func TestRetentionSettingsAgreeAcrossTheUpgrade(t *testing.T) {
	t.Parallel()
	r := config.Retention{EventDays: 90, QuarantineDays: 90, OutboxDays: 90, ErasureDays: config.DefaultErasureDays}
	if got := retentionSettings(r); got != "{90 90 90 0}" {
		t.Errorf("retention at the default erasure_days digests %q, want the older syncd's %q", got, "{90 90 90 0}")
	}
	r.ErasureDays = 30
	if got := retentionSettings(r); got == "{90 90 90 0}" {
		t.Errorf("another erasure_days digests as the default: %q", got)
	}
}

// TestSettingsOfAKilledInstanceDifferFromNoOne: an instance killed (kill
// -9) leaves its row for 30 s; restarted with a changed mapping, syncd
// status said "settings differ: <the new run> from <the killed run>",
// the live instances all agreeing (and with the killed one the first
// started, it named every live one). A silent instance is left out.
func TestSettingsOfAKilledInstanceDifferFromNoOne(t *testing.T) {
	t.Parallel()
	now := time.Now()
	in := func(pid int, settings string, seen time.Duration) syncd.Instance {
		return syncd.Instance{Host: "h", PID: pid, Listen: "127.0.0.1:1", StartedAt: now.Add(-time.Hour + time.Duration(pid)),
			SeenAt: now.Add(-seen), Version: "1.4.0", Schema: 8, Settings: settings, SettingsAt: now.Add(-time.Hour)}
	}
	a, b := `{"sources":"1","mappings":"2"}`, `{"sources":"1","mappings":"3"}`
	var out strings.Builder
	_, attention, err := writeCluster(context.Background(), &out,
		rows{ins: []syncd.Instance{in(1, a, 25*time.Second), in(2, b, time.Second), in(3, b, time.Second)}})
	if err != nil {
		t.Fatal(err)
	}
	if attention || strings.Contains(out.String(), "settings differ") {
		t.Errorf("a killed instance's settings counted (attention %v):\n%s", attention, out.String())
	}
}

// TestMappingsDifferingInCommentsAloneAgree: two hosts' copies of the
// mappings that differ only in a comment, the indentation or the line
// endings (one edited on Windows) were said to differ in "mappings", and
// after settingsGrace syncd status said NEEDS ATTENTION of instances that
// map every lead alike; a changed value still differs.
func TestMappingsDifferingInCommentsAloneAgree(t *testing.T) {
	t.Parallel()
	orig, err := os.ReadFile("../../mappings/hubspot/eaf.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("syncd.yaml", []byte("mapping:\n  dir: ../../mappings/hubspot\nsources:\n  lb:\n    kind: lokalebasen\n    tokens: [token-one-0123456789]\n"),
		func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	settingsOf := func(eaf string) string {
		dir := filepath.Join(t.TempDir(), "hubspot") // every host's folder of that name: its files are named hubspot/…
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		lb, err := os.ReadFile("../../mappings/hubspot/lokalebasen.yaml")
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string]string{"eaf.yaml": eaf, "lokalebasen.yaml": string(lb)} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		rules, err := mapping.Load(dir, "hubspot")
		if err != nil {
			t.Fatal(err)
		}
		return clusterSettings(cfg, rules)
	}
	a := settingsOf(string(orig))
	commented := "# edited on host b, 2026-12-04\n" + strings.ReplaceAll(strings.ReplaceAll(string(orig), "\n  - name:", "\n  # the next rule\n  - name:"), "\n", "\r\n")
	if !strings.Contains(commented, "# the next rule") {
		t.Fatal("no rule in eaf.yaml to comment")
	}
	if d := settingsDiffer(a, settingsOf(commented)); len(d) != 0 {
		t.Errorf("mappings differing in comments and line endings alone said to differ in %v", d)
	}
	if d := settingsDiffer(a, settingsOf(strings.Replace(string(orig), "email: contact_email", "email: {expr: lower(contact_email)}", 1))); strings.Join(d, ",") != "mappings" {
		t.Errorf("a changed value: differ in %v, want mappings", d)
	}
}
