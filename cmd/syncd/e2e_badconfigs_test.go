package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateAtTheRootSaysEachBadConfigsErrFile: docs/configuring.md
// has the operator run syncd validate -config
// testdata/config/bad/NAME.yaml at the repository's root, its problems
// word for word in NAME.err beside it. The files' mapping.dir was
// ../../mappings/hubspot, right only two folders down (internal/config,
// where the package's test loads them), so each such run also said
// "mapping.dir ../../mappings/hubspot is not a directory". This runs the
// binary as the docs do, on every file, and compares its problems with
// the .err file, where the repository's absolute path (a secret file is
// named by the path syncd opened) is REPO.
func TestValidateAtTheRootSaysEachBadConfigsErrFile(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../../testdata/config/bad/*.yaml")
	if len(files) < 30 {
		t.Fatalf("%d bad configurations", len(files))
	}
	for _, f := range files {
		rel := "testdata/config/bad/" + filepath.Base(f)
		cmd := exec.Command(syncdBin, "validate", "-config", rel)
		cmd.Dir, cmd.Env = "../..", []string{"PATH=" + os.Getenv("PATH")}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
			t.Errorf("syncd validate -config %s: %v, want exit 2\n%s", rel, err, stderr.String())
			continue
		}
		var got strings.Builder
		for _, line := range strings.SplitAfter(stderr.String(), "\n") {
			if strings.HasPrefix(line, rel+":") {
				got.WriteString(strings.ReplaceAll(strings.TrimPrefix(line, "testdata/config/bad/"), root, "REPO"))
			}
		}
		want, err := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".err")
		if err != nil {
			t.Fatal(err)
		}
		if got.String() != string(want) {
			t.Errorf("syncd validate -config %s at the root:\n%s\nwant (%s):\n%s", rel, got.String(),
				strings.TrimSuffix(rel, ".yaml")+".err", want)
		}
	}
}
