package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// editedMappings copies the shipped HubSpot mappings into dir/maps and
// returns a configuration using them, and the folder.
func editedMappings(t *testing.T, dir string) (config, maps string) {
	t.Helper()
	maps = filepath.Join(dir, "maps")
	if err := os.Mkdir(maps, 0o755); err != nil {
		t.Fatal(err)
	}
	shipped, _ := filepath.Abs("../../mappings/hubspot")
	for _, name := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		data, err := os.ReadFile(filepath.Join(shipped, name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(maps, name), data, 0o644)
	}
	config = filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), shipped, maps, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return config, maps
}

// editedMappingsListening is editedMappings with the daemon listening at
// a free address its file names, where syncd status finds it.
func editedMappingsListening(t *testing.T, dir string) (config, maps string) {
	t.Helper()
	config, maps = editedMappings(t, dir)
	raw, _ := os.ReadFile(config)
	raw = []byte(strings.Replace(string(raw), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1))
	if err := os.WriteFile(config, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return config, maps
}

// TestValidateAndReloadBesideAnEditor: an operator's editor leaves an
// Emacs lock (.#eaf.yaml, a link to nowhere) beside the file it has open,
// and Notepad saves a new mapping as eaf-extra.yaml.txt. Before, validate
// failed (exit 1, "open .#eaf.yaml: no such file or directory"), as did
// every reload while the file was open, and the .txt was never said to be
// ignored. A mapping saved as Latin-1 is named with its line and column.
func TestValidateAndReloadBesideAnEditor(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, maps := editedMappings(t, dir)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)

	if err := os.Symlink("operator@host.4242:1700000000", filepath.Join(maps, ".#eaf.yaml")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(maps, "eaf-extra.yaml.txt"), []byte("rules: []\n"), 0o644)
	_, stderr, code := syncdRun(t, "validate", "-config", config, "-examples", "../../testdata/webhooks")
	if code != 0 || !strings.Contains(stderr, "warning: maps/eaf-extra.yaml.txt: not loaded: only files ending in .yaml or .yml") {
		t.Fatalf("validate beside an editor's lock: exit %d\n%s", code, stderr)
	}
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"reloaded"`) })
	if strings.Contains(d.log(), "reload rejected") {
		t.Fatalf("reload beside an editor's lock rejected:\n%s", d.log())
	}

	eaf := filepath.Join(maps, "eaf.yaml")
	data, _ := os.ReadFile(eaf)
	lines := strings.Split(string(data), "\n")
	at := len(lines) / 2 // a Danish comment, in Latin-1
	lines[at] = "# K\xf8benhavn " + lines[at]
	os.WriteFile(eaf, []byte(strings.Join(lines, "\n")), 0o644)
	_, stderr, code = syncdRun(t, "validate", "-config", config, "-examples", "../../testdata/webhooks")
	want := "maps/eaf.yaml:" + strconv.Itoa(at+1) + ": not UTF-8 text: byte 0xF8 at column 4"
	if code != 2 || !strings.Contains(stderr, want) {
		t.Fatalf("validate of a Latin-1 mapping: exit %d\n%s\nwant %s", code, stderr, want)
	}
}

// TestValidateSaysThePackagesNewMappingBesideTheEdited: the Debian
// package's mapping files are conffiles. An operator who had edited
// eaf.yaml (a pipeline id) upgraded to a package whose eaf.yaml changed
// (the flat message read through htmlToText): dpkg kept theirs and put the
// package's beside it as eaf.yaml.dpkg-dist, silently under apt-get -y
// (tried: the older and newer .deb installed with dpkg -i in a throwaway
// root). validate said of it only "only files ending in .yaml or .yml
// (lower case) are mapping files", nothing that the shipped file changed;
// it now says what the file is and the diff that shows what it changes,
// still exit 0 (the edited file is valid). Told to take the package's,
// dpkg keeps theirs as eaf.yaml.dpkg-old, also said; and the package's new
// syncd.yaml beside the edited configuration (syncd.yaml.dpkg-dist), of
// which validate said nothing.
func TestValidateSaysThePackagesNewMappingBesideTheEdited(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, maps := editedMappings(t, dir)
	eaf := filepath.Join(maps, "eaf.yaml")
	shipped, err := os.ReadFile(eaf)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(shipped), "pipeline: {const: default, write: create}", `pipeline: {const: "12345678", write: create}`, 1)
	if edited == string(shipped) {
		t.Fatal("the shipped eaf.yaml has no pipeline: {const: default} to edit")
	}
	os.WriteFile(eaf, []byte(edited), 0o644)
	os.WriteFile(eaf+".dpkg-dist", shipped, 0o644)
	os.WriteFile(filepath.Join(maps, "lokalebasen.yaml.dpkg-old"), []byte("rules: []\n"), 0o644)
	os.WriteFile(config+".dpkg-dist", []byte("listen: 127.0.0.1:8080\n"), 0o640)
	_, stderr, code := syncdRun(t, "validate", "-config", config, "-examples", "../../testdata/webhooks")
	for _, want := range []string{
		"warning: " + config + ": the package's new syncd.yaml is beside it, put there by an upgrade because you had edited yours: " +
			"see what it changes with diff -u " + config + " " + config + ".dpkg-dist, take what you want of it into syncd.yaml, then remove " + config + ".dpkg-dist\n",
		"warning: maps/eaf.yaml.dpkg-dist: not loaded: the package's new eaf.yaml, which an upgrade put beside yours because you had edited it: " +
			"see what it changes with diff -u " + eaf + " " + eaf + ".dpkg-dist, take what you want of it into eaf.yaml, then remove eaf.yaml.dpkg-dist\n",
		"warning: maps/lokalebasen.yaml.dpkg-old: not loaded: your edited lokalebasen.yaml, kept when an upgrade put the package's new one in its place: ",
	} {
		if code != 0 || !strings.Contains(stderr, want) {
			t.Errorf("validate beside the package's new eaf.yaml: exit %d\n%s\nwant %s", code, stderr, want)
		}
	}
}

// TestMapSaysWhyNoRuleApplies: with the EAF rule's event misspelt, or its
// file saved as eaf.yaml.txt, `syncd map` (which the mappings README says
// checks a change) answered only "state: ignored, reason: no rule for eaf
// email_lead", exit 0; validate's warning, with the file, the line and
// the type meant, was not shown. It now is, on stderr.
func TestMapSaysWhyNoRuleApplies(t *testing.T) {
	t.Parallel()
	config, maps := editedMappings(t, t.TempDir())
	eaf := filepath.Join(maps, "eaf.yaml")
	data, _ := os.ReadFile(eaf)
	os.WriteFile(eaf, []byte(strings.Replace(string(data), "event: email_lead", "event: emaillead", 1)), 0o644)
	lead := "../../testdata/webhooks/eaf/email_lead.json"
	out, stderr, code := syncdRun(t, "map", "-config", config, "-source", "eaf", lead)
	if code != 0 || !strings.Contains(out, "state: ignored") ||
		!regexp.MustCompile(`warning: maps/eaf\.yaml:\d+: rule "eaf-email-lead": event "emaillead" .*did you mean "email_lead"\?`).MatchString(stderr) {
		t.Fatalf("map with a misspelt event: exit %d\n%s\nstderr:\n%s", code, out, stderr)
	}
	os.WriteFile(eaf, data, 0o644)
	os.Rename(eaf, eaf+".txt")
	_, stderr, _ = syncdRun(t, "map", "-config", config, "-source", "eaf", lead)
	if !strings.Contains(stderr, "warning: maps/eaf.yaml.txt: not loaded") {
		t.Fatalf("map with eaf.yaml saved as eaf.yaml.txt: stderr:\n%s", stderr)
	}
}

// TestMapOfAnUnmappableLeadSaysSoByItsExit: a payload a rule takes but
// cannot map (an email that is none and no phone) never reaches the CRM,
// yet `syncd map` exited 0 as for one that maps, so a script checking a
// mapping change with it (`syncd map ... && deploy`) passed it. It exits 5
// (needs attention) now, with the reason as before; a lead that maps, and
// an event no rule is for, stay 0.
func TestMapOfAnUnmappableLeadSaysSoByItsExit(t *testing.T) {
	t.Parallel()
	config, _ := editedMappings(t, t.TempDir())
	bad := filepath.Join(t.TempDir(), "lead.json")
	os.WriteFile(bad, []byte(`{"eaf_type":"email_lead","eaf_id":"1","contact_email":"not an address"}`), 0o644)
	out, _, code := syncdRun(t, "map", "-config", config, "-source", "eaf", bad)
	if code != 5 || !strings.Contains(out, "state: unmappable") || !strings.Contains(out, "no valid email") {
		t.Errorf("map of an unmappable lead: exit %d\n%s", code, out)
	}
	for _, f := range []string{"email_lead.json", "portal_submission_success.json"} {
		if out, _, code := syncdRun(t, "map", "-config", config, "-source", "eaf", "../../testdata/webhooks/eaf/"+f); code != 0 {
			t.Errorf("map of %s: exit %d\n%s", f, code, out)
		}
	}
}

// TestValidateWarnsOfARuleForASourceNotConfigured: an agency taking leads
// from Lokalebasen alone, with the shipped folder (eaf.yaml in it), got
// "ok" from validate and nothing else, while the EAF rule maps nothing;
// it is now a warning naming the rule's source: line, exit 0.
func TestValidateWarnsOfARuleForASourceNotConfigured(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "  eaf:\n    kind: eaf\n    tokens: ["+e2eEAFToken+"]\n", "", 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := syncdRun(t, "validate", "-config", config, "-examples", "../../testdata/webhooks")
	want := `warning: hubspot/eaf.yaml:36: rule "eaf-email-lead": source: eaf, but the configuration has no source of that kind ` +
		"(its sources are of kind lokalebasen), so this rule maps nothing"
	if code != 0 || !strings.Contains(stderr, want) || strings.Contains(stderr, "lokalebasen-enquiry") {
		t.Fatalf("validate without an eaf source: exit %d\n%s\nwant %s", code, stderr, want)
	}
}
