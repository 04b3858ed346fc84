package main

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSettingsLinesNameOnlyWhatDiffers: status names each instance whose
// settings differ from the first recording one's, and in which; an
// instance on an older syncd, which records none, is not named.
func TestSettingsLinesNameOnlyWhatDiffers(t *testing.T) {
	in := func(pid int, settings string) syncd.Instance {
		return syncd.Instance{Host: "h", PID: pid, Settings: settings}
	}
	a := `{"crm":"1","mappings":"2","retention":"3"}`
	b := `{"crm":"1","mappings":"9","retention":"8"}`
	got := strings.Join(settingsLines([]syncd.Instance{in(1, ""), in(2, a), in(3, a), in(4, b), in(5, "")}), "\n")
	want := "settings differ: h pid 4 from h pid 2 in mappings, retention\n  " + settingsAdvice
	if got != want {
		t.Fatalf("lines:\n%s\nwant:\n%s", got, want)
	}
	if got := settingsLines([]syncd.Instance{in(1, ""), in(2, a), in(3, a)}); len(got) != 0 {
		t.Fatalf("instances that agree: %q", got)
	}
}

// TestSettingsDigestIgnoresWhatIsEachHosts: two hosts' configurations
// that differ only in what is each host's own (listen, data_dir,
// report.dir, the order of tokens) agree; another token does not.
func TestSettingsDigestIgnoresWhatIsEachHosts(t *testing.T) {
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
