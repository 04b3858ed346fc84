package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadingCommandsNeedNoSecrets: the install guide keeps the secrets
// in /etc/syncd/credentials/ (root's alone) and names them relatively
// (token_files: [eaf-token]), which the unit hands over as
// $CREDENTIALS_DIRECTORY. Every command loaded them all, so `syncd status`
// from a cron job, or `sudo -u syncd syncd events list`, stopped at "read
// secret: ... no such file or directory", exit 2, though none of them
// uses a token or password. Now the commands that only read (status,
// events list and show, outbox list and show, export, backup) do not read
// the secret files, nor do those that write but reach neither the CRM nor
// the mail server (replay, outbox retry, report without -mail, purge,
// erase without -crm: the data-protection officer's); the daemon, validate
// and the commands that reach the CRM or the mail server still do.
func TestReadingCommandsNeedNoSecrets(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	if err := os.Mkdir(creds, 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(creds, "eaf-token"), []byte(e2eEAFToken+"\n"), 0o600)
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "tokens: ["+e2eEAFToken+"]", "token_files: [eaf-token]", 1)
	yaml = strings.Replace(yaml, "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config, "CREDENTIALS_DIRECTORY="+creds)
	postTestdata(t, d, "eaf/email_lead.json")

	for _, args := range [][]string{
		{"status"}, {"events", "list"}, {"events", "show", "1"}, {"outbox", "list"},
		{"export", "-email", "support@estateagentfeeds.com"}, {"backup", "-out", filepath.Join(dir, "backup.db")},
		// These write, but reach neither the CRM nor the mail server.
		{"replay", "-dry-run"}, {"replay"}, {"outbox", "retry", "-all-dead"}, {"report"}, {"purge"},
		{"erase", "-email", "support@estateagentfeeds.com"},
	} {
		out, stderr, code := syncdRun(t, append(args, "-config", config)...)
		if code != 0 || strings.Contains(stderr, "read secret") {
			t.Errorf("syncd %s without $CREDENTIALS_DIRECTORY: exit %d\n%s%s", strings.Join(args, " "), code, out, stderr)
		}
	}
	// validate reads every secret, as serve does, and so do the commands
	// that reach the CRM or the mail server.
	for _, args := range [][]string{{"validate"}, {"erase", "-crm", "-email", "a@example.com"}, {"report", "-mail"}, {"sync"}} {
		if _, stderr, code := syncdRun(t, append(args, "-config", config)...); code != 2 || !strings.Contains(stderr, "read secret") {
			t.Errorf("syncd %s without $CREDENTIALS_DIRECTORY: exit %d, want 2 naming the secret\n%s", strings.Join(args, " "), code, stderr)
		}
	}
}

// TestReadingCommandsWithEverySourceInTokenFiles: with both sources'
// tokens in files, as the install guide writes them (token_files:
// [lokalebasen-token], token_files: [eaf-token]), the commands that read
// no secret file took both tokens for one and the same, unread: status
// said the file DOES NOT LOAD ("source lokalebasen: token 1 is also a token
// of source eaf"), and events list, outbox list and export refused it,
// exit 2, on an agency's server run by the book. validate without the
// credentials said the same beside the files it could not read.
func TestReadingCommandsWithEverySourceInTokenFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	if err := os.Mkdir(creds, 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(creds, "lokalebasen-token"), []byte(e2eLBToken+"\n"), 0o600)
	os.WriteFile(filepath.Join(creds, "eaf-token"), []byte(e2eEAFToken+"\n"), 0o600)
	yaml := strings.NewReplacer("tokens: ["+e2eEAFToken+"]", "token_files: [eaf-token]",
		"tokens: ["+e2eLBToken+"]", "token_files: [lokalebasen-token]",
		"listen: 127.0.0.1:0", "listen: "+freeAddr(t)).Replace(configYAML(dir, []string{e2eLBToken}, ""))
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config, "CREDENTIALS_DIRECTORY="+creds)
	postTestdata(t, d, "eaf/email_lead.json")

	for _, args := range [][]string{
		{"status"}, {"events", "list"}, {"outbox", "list"}, {"export", "-email", "support@estateagentfeeds.com"},
	} {
		out, stderr, code := syncdRun(t, append(args, "-config", config)...)
		if args[0] == "status" && code == 5 { // attention: a database in tmpfs, TMPDIR=/dev/shm
			code = 0
		}
		if code != 0 || strings.Contains(out+stderr, "also a token") || strings.Contains(out, "DOES NOT LOAD") {
			t.Errorf("syncd %s without $CREDENTIALS_DIRECTORY: exit %d\n%s%s", strings.Join(args, " "), code, out, stderr)
		}
	}
	_, stderr, code := syncdRun(t, "validate", "-config", config)
	if code != 2 || !strings.Contains(stderr, "read secret") || strings.Contains(stderr, "also a token") {
		t.Errorf("validate without $CREDENTIALS_DIRECTORY: exit %d, want 2 naming the unread files alone\n%s", code, stderr)
	}
}
