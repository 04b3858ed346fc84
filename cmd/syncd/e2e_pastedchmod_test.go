package main_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io/fs"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"syscall"
	"testing"
	"time"
)

// TestChmodSaidOfOwnFilesPastesInAnyDirectory: serve and validate, run by
// the owner of a data directory or configuration file whose mode keeps
// even its owner out, name the chmod that gives it back; validate names
// the chmod o-w of a report.mail.ca_file every local user may write. Each
// named the file bare, so under "Søren's syncd (test)" the chmod pasted
// into a shell did not run (an apostrophe left open), or, with a space
// alone, changed other files. They are quoted for the shell now: each
// chmod as printed, run by sh, gives the file the mode meant.
func TestChmodSaidOfOwnFilesPastesInAnyDirectory(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	as := otherUser(t)
	top, err := os.MkdirTemp("", "syncd-chmod-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(top) })
	dir := filepath.Join(top, "Søren's syncd (test)")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := binaryIn(t, dir)
	ca := filepath.Join(dir, "mail ca.pem")
	config := writeConfigWith(t, dir, "report:\n  mail:\n    host: 127.0.0.1\n    port: 2525\n    from: syncd@example.com\n    to: [ops@example.com]\n    ca_file: "+ca+"\n")
	makeDB(t, dir)
	data := filepath.Join(dir, "data")
	if os.Chmod(top, 0o755) != nil || os.Chown(config, int(as.Uid), int(as.Gid)) != nil || os.WriteFile(ca, testCAPEM(t), 0o666) != nil {
		t.Fatal("cannot open the test's directory to postgres")
	}
	os.Chmod(ca, 0o666)
	filepath.WalkDir(data, func(p string, _ fs.DirEntry, _ error) error { return os.Chown(p, int(as.Uid), int(as.Gid)) })
	run := func(args ...string) (string, int) {
		cmd := exec.Command(bin, append(args, "-config", config)...)
		cmd.Dir = dir
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
		out, _ := cmd.CombinedOutput()
		return string(out), cmd.ProcessState.ExitCode()
	}
	chmod := func(what, out string, re *regexp.Regexp, file string, mode fs.FileMode) {
		t.Helper()
		m := re.FindStringSubmatch(logText(out))
		if m == nil {
			t.Fatalf("%s: no chmod said\n%s", what, out)
		}
		if got, want := pasted(t, m[1]), []string{"chmod", m[2], file}; !slices.Equal(got, want) {
			t.Fatalf("%s: %s, pasted into sh, runs %q, want %q", what, m[1], got, want)
		}
		if sh, err := exec.Command("sh", "-c", m[1]).CombinedOutput(); err != nil {
			t.Fatalf("%s: %s, run by sh: %v\n%s", what, m[1], err, sh)
		}
		if st, err := os.Stat(file); err != nil || st.Mode().Perm() != mode {
			t.Errorf("%s: after %s, %s is %v (%v), want mode %04o", what, m[1], file, st.Mode().Perm(), err, mode)
		}
	}

	os.Chmod(data, 0o551)
	out, code := run("serve")
	if code != 2 {
		t.Errorf("serve as postgres over its own data directory made read-only: exit %d, want 2\n%s", code, out)
	}
	chmod("serve over a data directory mode 0551", out, regexp.MustCompile(`even its owner from writing it: (chmod (u\+w) .*?) \(open `), data, 0o751)

	os.Chmod(config, 0o200)
	out, code = run("validate", "-offline")
	if code != 2 {
		t.Errorf("validate as postgres of its own configuration file it may not read: exit %d, want 2\n%s", code, out)
	}
	chmod("validate of a configuration file mode 0200", out, regexp.MustCompile(`even its owner from doing so: (chmod (u\+r) .*?) \(open `), config, 0o600)

	out, _ = run("validate", "-offline") // a warning: read for its chmod alone
	chmod("validate of a mail CA file mode 0666", out, regexp.MustCompile(`in the mail server's place: (chmod (o-w) .*)\n`), ca, 0o664)
}

// testCAPEM is a self-signed certificate in PEM, as a report.mail.ca_file
// holds.
func testCAPEM(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "relay"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
