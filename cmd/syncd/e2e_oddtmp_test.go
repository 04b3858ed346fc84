package main_test

import (
	"strconv"
	"strings"

	"al.essio.dev/pkg/shellescape"
)

// The paths these tests make are under TMPDIR, which may itself need
// quoting (a developer's TMPDIR under "/home/Søren Ærø/tmp"): where syncd
// rightly writes such a path quoted, the tests expect it so, in the form
// each kind of output gives it. Under a plain TMPDIR (/dev/shm) each is
// the path itself.

// sq is path as syncd writes it in a command to paste into a shell: in
// single quotes where it holds a space, a quote or a parenthesis
// (shellescape.Quote), bare otherwise.
func sq(path string) string { return shellescape.Quote(path) }

// inJSON is s as the daemon's JSON log writes it inside a string value:
// its double quotes and backslashes escaped (a path quoted for the shell
// holds '"'"' for an apostrophe).
func inJSON(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

// fieldValue is s as a command's log line writes a key's value (key=value):
// in double quotes, Go-escaped, where it holds a space, a quote, a
// backslash or a character outside printable ASCII, as zerolog's console
// writer does; bare otherwise.
func fieldValue(s string) string {
	for _, r := range s {
		if r <= ' ' || r > '~' || r == '"' || r == '\\' {
			return strconv.Quote(s)
		}
	}
	return s
}

// unitPath is dir as syncd writes it in a unit file's path setting
// (ReadWritePaths=): in double quotes where it holds a space or an
// apostrophe, bare otherwise.
func unitPath(dir string) string {
	if strings.ContainsAny(dir, " '") {
		return `"` + dir + `"`
	}
	return dir
}
