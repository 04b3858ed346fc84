// Package partest sets how many of a package's parallel tests run at once,
// for packages whose tests mostly wait (a settle time, a search lag, a
// back-off, a daemon) rather than compute: go test's default of one per
// CPU leaves a 2-core machine idle while two of them sleep.
package partest

import (
	"flag"
	"runtime"
	"strconv"
)

// Main runs m's tests with at least n parallel tests at once (AtLeast) and
// returns m.Run's exit code; a package's TestMain is then
// func TestMain(m *testing.M) { os.Exit(partest.Main(m, 4)) }.
func Main(m interface{ Run() int }, n int) int {
	AtLeast(n)
	return m.Run()
}

// AtLeast has the package's tests run n parallel tests at once, unless
// -parallel was given or there are n CPUs or more. A TestMain calls it
// before m.Run.
func AtLeast(n int) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if p := flag.Lookup("test.parallel"); p != nil && !set && runtime.GOMAXPROCS(0) < n {
		_ = p.Value.Set(strconv.Itoa(n))
	}
}
