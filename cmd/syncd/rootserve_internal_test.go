package main

import (
	"strings"
	"testing"
)

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

// TestInstanceWritersNameTheAgencysJournal: status and reload of an
// agency's /etc/syncd/NAME.yaml named its own unit's systemctl commands but
// syncd.service's journal ("journalctl -u syncd says what it did last",
// "why: journalctl -u syncd"), another agency's log. Both are the
// instance's now; another file's words stay as they are.
func TestInstanceWritersNameTheAgencysJournal(t *testing.T) {
	t.Parallel()
	const said = "journalctl -u syncd says what it did last; if it stays so, systemctl restart syncd\n  why: journalctl -u syncd, \"reload rejected\"\n"
	for file, want := range map[string]string{
		"/etc/syncd/nordbolig.yaml": "journalctl -u syncd@nordbolig says what it did last; if it stays so, systemctl restart syncd@nordbolig\n" +
			"  why: journalctl -u syncd@nordbolig, \"reload rejected\"\n",
		"/etc/syncd/syncd.yaml": said,
		"nordbolig.yaml":        said,
	} {
		var b strings.Builder
		forInstance(&b, file).Write([]byte(said))
		if b.String() != want {
			t.Errorf("forInstance(%q) wrote %q, want %q", file, b.String(), want)
		}
	}
}
