package main_test

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestValidateOnAServerChecksTheInstalledExamples: on a server, where the
// package installed syncd and no checkout's testdata/webhooks is in the
// working directory, syncd validate said "no examples checked:
// testdata/webhooks not found", exit 0: a mapping edited in
// /etc/syncd/mappings was never run on an example, so neither a lead it
// cannot map, nor a value the CRM refuses, nor a lead no rule maps was
// said before the daemon met them. The package installs the examples in
// /usr/share/syncd/webhooks, which validate reads from beside its binary
// (../share/syncd/webhooks) when -examples is not given and the working
// directory has none.
func TestValidateOnAServerChecksTheInstalledExamples(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	bin := filepath.Join(root, "usr", "bin", "syncd")
	installFile(t, syncdBin, bin, 0o755)
	examples := filepath.Join(root, "usr", "share", "syncd", "webhooks")
	shipped, _ := filepath.Glob("../../testdata/webhooks/*/*.json")
	for _, f := range shipped {
		installFile(t, f, filepath.Join(examples, filepath.Base(filepath.Dir(f)), filepath.Base(f)), 0o644)
	}
	config, maps := editedMappings(t, t.TempDir())
	lb := filepath.Join(maps, "lokalebasen.yaml")
	data, _ := os.ReadFile(lb)
	os.WriteFile(lb, []byte(strings.Replace(string(data), "    event: enquiry_created\n",
		"    event: enquiry_created\n    when: 'payload.enquiry.type == \"Client\"'\n", 1)), 0o644)

	cmd := exec.Command(bin, "validate", "-offline", "-config", config)
	cmd.Dir = t.TempDir() // as /etc/syncd: no testdata there
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("validate on a server: %v\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	mustContain(t, "validate on a server", stdout.String(),
		"5 examples in "+examples+" checked: 4 eaf, 1 lokalebasen; 1 lead among them no rule maps")
	mustContain(t, "validate's warning on a server", stderr.String(),
		"warning: "+filepath.Join(examples, "lokalebasen", "enquiry_created.json")+": a lead no rule maps")

	// the package installs every example there
	raw, err := os.ReadFile("../../packaging/nfpm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Contents []struct{ Src, Dst string }
	}
	if err := yaml.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	installed := map[string]bool{}
	for _, c := range pkg.Contents {
		srcs, _ := filepath.Glob(filepath.Join("../..", c.Src))
		for _, src := range srcs {
			installed[src+" -> "+c.Dst] = true
		}
	}
	for _, f := range shipped {
		want := f + " -> /usr/share/syncd/webhooks/" + filepath.Base(filepath.Dir(f)) + "/"
		if !installed[want] {
			t.Errorf("packaging/nfpm.yaml does not install %s in /usr/share/syncd/webhooks/%s/", f, filepath.Base(filepath.Dir(f)))
		}
	}
}

// installFile copies src to dst, making dst's folders: a hard link where
// the file system allows (the binary is large), else a copy. A link, not
// a symbolic one: the binary finds its own folder through /proc/self/exe,
// which names a symbolic link's target.
func installFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if os.Link(src, dst) == nil {
		return
	}
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestValidateOfABinaryNotInstalledNamesNoPackagePath: a syncd built into
// /tmp (or run by go run), away from a checkout, said "no examples
// checked: testdata/webhooks not found, nor /share/syncd/webhooks, where
// the package installs them": a folder no package uses, made of the
// binary's "../share". It says the examples are in a checkout, or beside
// an installed syncd, which this one is not.
func TestValidateOfABinaryNotInstalledNamesNoPackagePath(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "syncd")
	installFile(t, syncdBin, bin, 0o755)
	config, _ := editedMappings(t, t.TempDir())
	cmd := exec.Command(bin, "validate", "-offline", "-config", config)
	cmd.Dir = t.TempDir()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("validate: %v\n%s", err, out)
	}
	mustContain(t, "validate of a binary not installed", string(out),
		"no examples checked: testdata/webhooks not found (a checkout of syncd has them there; a package installs them beside an installed syncd, which this one is not): give -examples DIR")
	if strings.Contains(string(out), "share/syncd") {
		t.Errorf("validate names a package's folder of a binary no package installed:\n%s", out)
	}
}

// TestValidateCountsOneInTheSingular: validate of a configuration with one
// source and one mapping rule said "ok (1 sources, crm dryrun, 1 mapping
// rules in maps, …)" and "the 1 field the mappings declare a type of are
// checked".
func TestValidateCountsOneInTheSingular(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	maps := filepath.Join(dir, "maps")
	installFile(t, "../../mappings/hubspot/lokalebasen.yaml", filepath.Join(maps, "lokalebasen.yaml"), 0o600)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte("listen: 127.0.0.1:0\ndata_dir: "+filepath.Join(dir, "data")+
		"\nsources:\n  lokalebasen:\n    kind: lokalebasen\n    tokens: [a-long-enough-token-0123456789]\nmapping:\n  dir: "+maps+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "validate", "-offline", "-config", config, "-examples", "../../testdata/webhooks")
	if code != 0 {
		t.Fatalf("validate: exit %d\n%s%s", code, out, stderr)
	}
	mustContain(t, "validate", out, ": ok (1 source, crm dryrun, 1 mapping rule in ", "the 1 field the mappings declare a type of is checked")
}

// TestValidateOfASourceInstallSaysWhereTheExamplesAre follows the install
// guide's step 1 from source: the binary in /usr/bin, built in a checkout.
// The guide installed no examples, so its step 5, syncd validate in
// /etc/syncd, said "no examples checked: … nor /usr/share/syncd/webhooks,
// where the package installs them: give -examples DIR", naming no DIR: the
// mappings were run on no example. The guide's step 1 now copies the
// checkout's examples where the package puts them, and validate, finding
// none there, says where a build from source has them.
func TestValidateOfASourceInstallSaysWhereTheExamplesAre(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	bin := filepath.Join(root, "usr", "bin", "syncd")
	installFile(t, syncdBin, bin, 0o755)
	config, _ := editedMappings(t, t.TempDir())
	validate := func() string {
		cmd := exec.Command(bin, "validate", "-offline", "-config", config)
		cmd.Dir = t.TempDir() // as /etc/syncd: no testdata there
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("validate: %v\n%s", err, out)
		}
		return string(out)
	}
	mustContain(t, "validate of a syncd built from source, no examples installed", validate(),
		"nor "+filepath.Join(root, "usr", "share", "syncd", "webhooks")+", where the package installs them: a syncd built from "+
			"source has them in its checkout's testdata/webhooks: copy that folder's eaf and lokalebasen there (install guide, step 1)")

	guide, err := os.ReadFile("../../systemd/README.md")
	if err != nil {
		t.Fatal(err)
	}
	step1, _, _ := strings.Cut(string(guide), "**2. User, group and directories.**")
	var ran int
	for _, line := range strings.Split(step1, "\n") {
		if !strings.Contains(line, "/usr/share/syncd/webhooks") || !(strings.HasPrefix(line, "install -d ") || strings.HasPrefix(line, "cp ")) {
			continue
		}
		line, _, _ = strings.Cut(line, "#")
		cmd := exec.Command("sh", "-c", strings.ReplaceAll(line, "/usr/share/", sq(root)+"/usr/share/"))
		cmd.Dir = "../.." // the checkout
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("the install guide's step 1, %q: %v\n%s", line, err, out)
		}
		ran++
	}
	if ran != 2 {
		t.Fatalf("the install guide's step 1 has %d lines installing the examples in /usr/share/syncd/webhooks, want 2 (install -d, cp)", ran)
	}
	mustContain(t, "validate once the guide's step 1 installed the examples", validate(),
		"5 examples in "+filepath.Join(root, "usr", "share", "syncd", "webhooks")+" map cleanly: 4 eaf, 1 lokalebasen")
}
