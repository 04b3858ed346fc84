package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPathCutByAYAMLCommentIsWarned: data_dir written out of quotes with
// " #" in it (".../agency #2 data") was read as YAML reads it, up to the
// " #", the rest a comment: validate said ok and named the database in
// ".../agency", where serve would have made it, with no word of the rest.
// validate warns now, naming the path as read and the line to write, in
// quotes; that line, pasted into the file, names the directory meant.
func TestPathCutByAYAMLCommentIsWarned(t *testing.T) {
	t.Parallel()
	dir := oddDir(t)
	meant := filepath.Join(dir, "agency #2 data")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "data_dir: "+filepath.Join(dir, "data"), "data_dir: "+meant, 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := syncdRun(t, "validate", "-offline", "-config", config)
	m := regexp.MustCompile(`syncd.yaml:2: data_dir (.*): the text after " #" on this line is a YAML comment, not part of the path, ` +
		`which ends before it: if the path holds " #", put it in quotes \((data_dir: .*)\); if it is a comment`).FindStringSubmatch(errOut)
	if code != 0 || m == nil || m[1] != filepath.Join(dir, "agency") {
		t.Fatalf("validate of data_dir %s out of quotes: exit %d, want 0 and a warning of the comment\n%s%s", meant, code, out, errOut)
	}
	if err := os.WriteFile(config, []byte(strings.Replace(yaml, "data_dir: "+meant, m[2], 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = syncdRun(t, "validate", "-offline", "-config", config)
	if code != 0 || !strings.Contains(out, "database: "+filepath.Join(meant, "syncd.db")) || strings.Contains(errOut, "YAML comment") {
		t.Errorf("validate with the line said (%s): exit %d, want 0 and the database in %s\n%s%s", m[2], code, meant, out, errOut)
	}
}
