package main

import "testing"

// TestUnitOfNamesTheAgencysInstance: serve refused as root on an agency's
// data directory names the unit that serves its file, syncd@NAME for
// /etc/syncd/NAME.yaml, not syncd.
func TestUnitOfNamesTheAgencysInstance(t *testing.T) {
	t.Parallel()
	for file, want := range map[string]string{
		"/etc/syncd/syncd.yaml":     "syncd",
		"/etc/syncd/nordbolig.yaml": "syncd@nordbolig",
		"syncd.yaml":                "syncd",
	} {
		if got := unitOf(file); got != want {
			t.Errorf("unitOf(%q) = %q, want %q", file, got, want)
		}
	}
}

// TestInstanceUnitIsTheTemplatesOnly: only the file syncd@.service starts
// serve on, /etc/syncd/NAME.yaml, is an agency's instance: its status line
// names syncd@NAME and its file; any other file's says what it said.
func TestInstanceUnitIsTheTemplatesOnly(t *testing.T) {
	t.Parallel()
	for file, want := range map[string]string{
		"/etc/syncd/nordbolig.yaml":      "syncd@nordbolig",
		"/etc/syncd/syncd.yaml":          "",
		"nordbolig.yaml":                 "",
		"/srv/etc/syncd/nordbolig.yaml":  "",
		"/etc/syncd/maps/nordbolig.yaml": "",
	} {
		if got := instanceUnit(file); got != want {
			t.Errorf("instanceUnit(%q) = %q, want %q", file, got, want)
		}
	}
	l := (&statusLine{}).forInstance("/etc/syncd/nordbolig.yaml")
	l.attn[attnRestart] = "settings read only at start CHANGED (sync): systemctl restart syncd"
	l.attn[attnMail] = "last report mail FAILED: syncd status"
	want := "ATTENTION: last report mail FAILED: syncd status -config /etc/syncd/nordbolig.yaml; " +
		"settings read only at start CHANGED (sync): systemctl restart syncd@nordbolig"
	if got := l.compose(); got != want {
		t.Errorf("an instance's line:\n%s\nwant\n%s", got, want)
	}
}
