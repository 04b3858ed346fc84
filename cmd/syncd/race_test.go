//go:build race

package main_test

// With -race, the daemon under test is built with the race detector too.
func init() { buildFlags = append(buildFlags, "-race") }

// raceBuild is whether the binary under test has the race detector.
const raceBuild = true
