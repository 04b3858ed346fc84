package main_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestExposedFilesChmodPastesInAnyDirectory: validate warns of a
// configuration file every local user may write, or read while a token is
// written in it, and of a secret file they may read or write, each with
// the chmod that closes it; of a secret file not beside the file but in
// its credentials directory, it names the CREDENTIALS_DIRECTORY= to run
// the command with. Each named the file bare, so under "Søren's syncd
// (test)" the line pasted into a shell did not run (sh: unterminated
// quoted string). They are quoted for the shell now: each chmod as
// printed, run by sh, gives the file the mode meant, and sh reads the
// credentials directory as one word.
func TestExposedFilesChmodPastesInAnyDirectory(t *testing.T) {
	t.Parallel()
	dir := oddDir(t)
	secret := filepath.Join(dir, "eaf token")
	if err := os.WriteFile(secret, []byte(e2eEAFToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "tokens: ["+e2eEAFToken+"]", "token_files: [eaf token]", 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chmod(config, 0o666)
	os.Chmod(secret, 0o666)
	out, errOut, _ := syncdRun(t, "validate", "-offline", "-config", config)
	said := out + errOut
	for _, c := range []struct {
		re   string
		file string
		mode fs.FileMode
	}{
		{`their own server: (chmod (o-w) .*)\n`, config, 0o664},
		{`secret file .*/eaf token can be written by every local user \(mode [-rwx]+\): (chmod (o-w) .*)\n`, secret, 0o664},
		{`is written in this file, which every local user can read \(mode [-rwx]+\): (chmod (o-r) .*), or move it`, config, 0o660},
		{`secret file .*/eaf token can be read by every local user \(mode [-rwx]+\): (chmod (o-r) .*)\n`, secret, 0o660},
	} {
		m := regexp.MustCompile(c.re).FindStringSubmatch(said)
		if m == nil {
			t.Fatalf("validate: no %s said of %s\n%s", c.re, c.file, said)
		}
		if got, want := pasted(t, m[1]), []string{"chmod", m[2], c.file}; !slices.Equal(got, want) {
			t.Fatalf("validate's %s, pasted into sh, runs %q, want %q", m[1], got, want)
		}
		if sh, err := exec.Command("sh", "-c", m[1]).CombinedOutput(); err != nil {
			t.Fatalf("validate's %s, run by sh: %v\n%s", m[1], err, sh)
		}
		if st, err := os.Stat(c.file); err != nil || st.Mode().Perm()&c.mode != st.Mode().Perm() {
			t.Errorf("after %s, %s is %v (%v), want within %04o", m[1], c.file, st.Mode().Perm(), err, c.mode)
		}
		out, errOut, _ = syncdRun(t, "validate", "-offline", "-config", config)
		said = out + errOut
	}

	creds := filepath.Join(dir, "credentials")
	if err := os.Mkdir(creds, 0o700); err != nil || os.Rename(secret, filepath.Join(creds, "eaf token")) != nil {
		t.Fatal("cannot move the secret into the credentials directory")
	}
	out, errOut, _ = syncdRun(t, "validate", "-offline", "-config", config)
	m := regexp.MustCompile(`run the command as the service sees it, (CREDENTIALS_DIRECTORY=.*) syncd \.\.\.`).FindStringSubmatch(out + errOut)
	if m == nil {
		t.Fatalf("validate of a secret file in the credentials directory: no CREDENTIALS_DIRECTORY= said\n%s%s", out, errOut)
	}
	if got, want := pasted(t, m[1]), []string{"CREDENTIALS_DIRECTORY=" + creds}; !slices.Equal(got, want) {
		t.Errorf("validate's %s, pasted into sh, is %q, want %q", m[1], got, want)
	}
}
