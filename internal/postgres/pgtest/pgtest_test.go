package pgtest

import (
	"flag"
	"os"
	"testing"
)

// TestBenchmarksClusterIsNotOnTmpfs: under -bench the throwaway cluster
// flushes its commits as in production (no fsync=off), so it must not sit
// on /dev/shm, where a flush costs nothing, but in the temporary directory
// as the benchmarks' SQLite databases do.
func TestBenchmarksClusterIsNotOnTmpfs(t *testing.T) {
	f := flag.Lookup("test.bench")
	old := f.Value.String()
	t.Cleanup(func() { f.Value.Set(old) })
	if err := f.Value.Set("."); err != nil {
		t.Fatal(err)
	}
	if got := clusterParent(); got != "" {
		t.Fatalf("a benchmark's cluster goes under %q, want the temporary directory (%s)", got, os.TempDir())
	}
}
