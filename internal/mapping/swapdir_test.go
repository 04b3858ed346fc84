package mapping

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestAFolderSwappedDuringALoadIsReadFromOneRelease: config management
// (Capistrano, Ansible's deploy_helper, a Nix profile) ships mappings as
// a release folder and points a symbolic link, the configured mapping.dir,
// at the new one, swapped at once with a rename. A load (a reload, the
// status check of the files) running as the link was swapped listed one
// release's files and read some of them from the other: a rule moved from
// one file to another was refused as `duplicate rule name ... this file
// and a.yaml are the same ... move the copy out of the mapping folder`,
// which no folder held, and the reload was rejected. The folder the link
// names as a load starts is now read whole.
func TestAFolderSwappedDuringALoadIsReadFromOneRelease(t *testing.T) {
	rule := func(name string) string {
		return strings.Replace(oneRule, "name: a", "name: "+name, 1)
	}
	root := t.TempDir()
	// release 2 moved rule x from a.yaml to b.yaml, and y the other way
	for v, files := range map[string]map[string]string{
		"v1": {"a.yaml": rule("x"), "b.yaml": rule("y")},
		"v2": {"a.yaml": rule("y"), "b.yaml": rule("x")},
	} {
		if err := os.Mkdir(filepath.Join(root, v), 0o755); err != nil {
			t.Fatal(err)
		}
		for name, content := range files {
			if err := os.WriteFile(filepath.Join(root, v, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	dir := filepath.Join(root, "current")
	if err := os.Symlink("v1", dir); err != nil {
		t.Fatal(err)
	}
	stop, swaps := make(chan struct{}), sync.WaitGroup{}
	swaps.Go(func() { // a deployment after another, each swapping the link at once
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if os.Symlink([]string{"v2", "v1"}[i%2], dir+".new") != nil || os.Rename(dir+".new", dir) != nil {
				t.Error("cannot swap the link")
				return
			}
		}
	})
	defer func() { close(stop); swaps.Wait() }()
	for range 400 {
		r, err := Load(dir, "hubspot")
		if err != nil {
			t.Fatalf("a load as the link was swapped: %v", err)
		}
		if r.Len() != 2 {
			t.Fatalf("a load as the link was swapped: %d rules, want x and y", r.Len())
		}
	}
}
