package partest_test

import (
	"flag"
	"os"
	"testing"

	"github.com/syncd-dev/syncd/internal/partest"
)

func TestMain(m *testing.M) { os.Exit(partest.Main(m, 64)) }

// TestParallelRaised: run without -parallel on fewer than 64 CPUs, the
// package's tests run 64 at once; with -parallel, as it says.
func TestParallelRaised(t *testing.T) {
	given := ""
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "test.parallel" {
			given = f.Value.String()
		}
	})
	got := flag.Lookup("test.parallel").Value.String()
	if given == "" && got != "64" || given != "" && got != given {
		t.Fatalf("-parallel %s, given %q; want 64 unless given", got, given)
	}
}
