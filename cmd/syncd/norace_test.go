//go:build !race

package main_test

// raceBuild is whether the binary under test has the race detector.
const raceBuild = false
