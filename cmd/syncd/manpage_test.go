package main_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// manPage is the manual page the package installs as syncd(8).
const manPage = "../../docs/syncd.8"

var updateMan = flag.Bool("update", false, "rewrite docs/syncd.8 from the binary's help")

// TestManPageIsCurrent: the package installed no manual page, so `man
// syncd` on a server said "No manual entry for syncd". docs/syncd.8 is
// made from the real binary's help, every command's and subcommand's
// flags and exit statuses, so that it says what the binary does; a
// command or flag changed without it fails here (go test ./cmd/syncd -run
// TestManPageIsCurrent -update rewrites it). groff, where installed,
// renders it without a warning.
func TestManPageIsCurrent(t *testing.T) {
	t.Parallel()
	want := manFromHelp(t)
	if *updateMan {
		if err := os.WriteFile(manPage, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(manPage)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not the binary's help: go test ./cmd/syncd -run TestManPageIsCurrent -update", manPage)
	}
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Skip("groff not installed: the page is not rendered")
	}
	var out, warn bytes.Buffer
	cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", manPage)
	cmd.Stdout, cmd.Stderr = &out, &warn
	if err := cmd.Run(); err != nil || warn.Len() > 0 {
		t.Fatalf("groff -man: %v\n%s", err, warn.String())
	}
	page := regexp.MustCompile(".\b").ReplaceAllString(out.String(), "") // bold and underline are overstruck
	page = strings.ReplaceAll(page, "‐", "-")                            // a hyphen where a word breaks
	for _, want := range []string{"property-portal webhooks into CRM records", "COMMANDS", "syncd status", "exit status:", "-wait D"} {
		if !strings.Contains(page, want) {
			t.Errorf("the rendered page does not say %q", want)
		}
	}
}

// commandLine is a command, or a subcommand, in a help's list.
var commandLine = regexp.MustCompile(`^  ([a-z][a-z-]*)\s`)

// manFromHelp is the manual page made from the binary's help.
func manFromHelp(t *testing.T) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString(`.\" syncd(8): made from the binary's help by cmd/syncd TestManPageIsCurrent -update; do not edit.
.TH SYNCD 8 "" "syncd" "System Administration"
.SH NAME
syncd \- property-portal webhooks into CRM records and daily Excel reports
.SH SYNOPSIS
.B syncd
.I command
.RI [ flags ]
.SH DESCRIPTION
syncd receives leads from property portals (Lokalebasen, Estate Agent Feeds) as webhooks, stores every
authenticated delivery durably before it answers, maps each lead into CRM contacts and deals through the
mapping files in /etc/syncd/mappings, sends them to HubSpot or Pipedrive from an outbox without duplicates,
and makes a daily Excel report of the leads and of the portal submissions that failed.
It runs as the systemd service syncd.service (syncd@NAME.service for one of several agencies on a server).
.PP
`)
	overview := helpOf(t, "help")
	writeVerbatim(&b, overview)
	b.WriteString(".SH COMMANDS\n")
	for _, line := range strings.Split(overview, "\n") {
		m := commandLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		cmd := m[1]
		b.WriteString(".SS \"syncd " + cmd + "\"\n")
		help := helpOf(t, "help", cmd)
		writeVerbatim(&b, help)
		if !strings.HasPrefix(help, "usage: syncd "+cmd+" <subcommand>") {
			continue
		}
		for _, sub := range strings.Split(help, "\n") {
			s := commandLine.FindStringSubmatch(sub)
			if s == nil || strings.Contains(b.String(), "syncd "+cmd+" "+s[1]+"\"") {
				continue // a subcommand listed twice (two forms)
			}
			b.WriteString(".SS \"syncd " + cmd + " " + s[1] + "\"\n")
			writeVerbatim(&b, helpOf(t, cmd, s[1], "-h"))
		}
	}
	b.WriteString(`.SH FILES
.TP
.I /etc/syncd/syncd.yaml
the configuration (syncd validate checks it); /etc/syncd/NAME.yaml for syncd@NAME
.TP
.I /etc/syncd/mappings/
the mapping files
.TP
.I /var/lib/syncd/syncd.db
the SQLite database (with its -wal and -shm files), on a disk of this host
.TP
.I /var/lib/syncd/reports/
the daily workbooks
.SH SEE ALSO
.BR systemctl (1),
.BR journalctl (1);
/usr/share/doc/syncd/README.md (the guide), /usr/share/doc/syncd/systemd/README.md (installing),
/usr/share/doc/syncd/docs/configuration.md (every configuration key),
/usr/share/doc/syncd/mappings/README.md (the mapping files).
`)
	return []byte(b.String())
}

// helpOf is what the binary prints for args, its help: on stdout or
// stderr, whatever its exit status.
func helpOf(t *testing.T, args ...string) string {
	t.Helper()
	out, stderr, _ := syncdRun(t, args...)
	if out == "" {
		out = stderr
	}
	if out == "" {
		t.Fatalf("syncd %s printed nothing", strings.Join(args, " "))
	}
	return out
}

// writeVerbatim writes text as a block printed as it is: filled no
// further, a backslash and a line starting with a control character
// escaped.
func writeVerbatim(b *strings.Builder, text string) {
	b.WriteString(".PP\n.nf\n")
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		line = strings.ReplaceAll(line, `\`, `\e`)
		line = strings.ReplaceAll(line, "-", `\-`)
		if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "'") {
			line = `\&` + line
		}
		b.WriteString(line + "\n")
	}
	b.WriteString(".fi\n")
}
