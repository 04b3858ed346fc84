package pipedrive_test

import (
	"os"
	"testing"

	"github.com/syncd-dev/syncd/internal/partest"
)

// TestMain runs four tests at once: most of the package's time is waiting
// out search and list lags and settle times (go test -count=1, paired at a
// load of 5-8: 28 s at the default two on two cores, 18 s at four).
func TestMain(m *testing.M) { os.Exit(partest.Main(m, 4)) }
