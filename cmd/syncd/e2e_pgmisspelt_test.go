package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAMisspeltPasswordKeywordIsSaidWhereTheServerAsksForOne: a DSN with
// its password keyword misspelt (pasword=…, passwd=…, pass=…, in a URL's
// query too) gives the server no password; on a server that asks for one
// (the README's createuser -P) the connection is refused for it before the
// server reads the settings, and validate said "the server refused the
// password of user syncd (the DSN's, or the role's: ALTER ROLE ...)", of a
// DSN that held none, with no word of the keyword, which only a server
// trusting the role said. It now names the keyword and the one meant, and
// that the DSN gives no password, never the value written; so for usr=
// (the server refusing the system user) and a DSN with no password at
// all. An sslmode of no known value said to percent-encode the password.
func TestAMisspeltPasswordKeywordIsSaidWhereTheServerAsksForOne(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	pg := ownPostgres(t)
	hba := filepath.Join(pg.data, "pg_hba.conf")
	b, err := os.ReadFile(hba)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(hba, append([]byte("host all syncd 127.0.0.1/32 scram-sha-256\n"), b...), 0o600); err != nil {
		t.Fatal(err)
	}
	pg.run(t, "psql", "-h", "127.0.0.1", "-p", fmt.Sprint(pg.port), "-U", "postgres", "-d", "postgres",
		"-c", "CREATE ROLE syncd LOGIN PASSWORD 'Zq9xKw7p'", "-c", "CREATE DATABASE syncd OWNER syncd")
	pg.ctl(t, "reload")
	host := fmt.Sprintf("host=127.0.0.1 port=%d dbname=syncd sslmode=disable", pg.port)
	url := fmt.Sprintf("postgres://syncd@127.0.0.1:%d/syncd?sslmode=disable", pg.port)
	const none = "the server asks user syncd for a password, and the DSN gives none"
	dir := t.TempDir()
	for _, c := range []struct {
		dsn  string
		code int
		says []string
	}{
		{host + " user=syncd password=Zq9xKw7p", 0, []string{"reachable, empty"}},
		{host + " user=syncd pasword=Zq9xKw7p", 2, []string{"the DSN names pasword, which is no DSN keyword (password was probably meant)", none}},
		{host + " user=syncd passwd=Zq9xKw7p", 2, []string{"the DSN names passwd, which is no DSN keyword (password was probably meant)", none}},
		{host + " user=syncd pass=Zq9xKw7p", 2, []string{"the DSN names pass, which is no DSN keyword (password was probably meant)", none}},
		{url + "&pasword=Zq9xKw7p", 2, []string{"the DSN names pasword, which is no DSN keyword (password was probably meant)", none}},
		{host + " user=syncd", 2, []string{none}},
		{host + " usr=syncd password=Zq9xKw7p", 2, []string{"the DSN names usr, which is no DSN keyword (user was probably meant)"}},
		{strings.Replace(url, "=disable", "=disabel", 1), 2, []string{"sslmode is invalid, none of disable, allow, prefer, require, verify-ca, verify-full"}},
	} {
		file := filepath.Join(dir, "syncd.yaml")
		os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")+pgStore(t, dir, c.dsn)), 0o600)
		stdout, stderr, code := syncdRun(t, "validate", "-config", file)
		out := stdout + stderr
		ok := code == c.code && !strings.Contains(out, "Kw7p") && !strings.Contains(out, "%40 for @")
		for _, s := range c.says {
			ok = ok && strings.Contains(out, s)
		}
		if !ok {
			t.Errorf("%s: exit %d, want %d saying %q, never the password; output:\n%s",
				strings.ReplaceAll(c.dsn, "Zq9xKw7p", "PW"), code, c.code, c.says, out)
		}
	}
}
