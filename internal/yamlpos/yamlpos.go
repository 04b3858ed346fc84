// Package yamlpos finds the line to fix from a syntax error of
// go.yaml.in/yaml/v3, so that configuration and mapping errors point at
// it. The library often reports another line: for its parser's errors
// (an unclosed { or [, "did not find expected key", ...) the 0-based line
// where the enclosing block or flow began, and for a tab in the
// indentation the start of the value before it.
package yamlpos

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var lineRE = regexp.MustCompile(`^line (\d+): `)

// maxSearch is how many lines past the library's the line to fix is
// looked for.
const maxSearch = 100

// Syntax splits the text of a syntax error from parsing src into the
// 1-based line to fix (0 when none is known) and the message. The line
// is the first one with which src, cut after it, fails with the same
// message: where the parser met what it could not take. When there is
// none, it is the library's.
func Syntax(text string, src []byte) (line int, msg string) {
	msg = strings.TrimPrefix(text, "yaml: ")
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	// The library's line is never after the one to fix, which is seldom
	// far from it; the search is bounded so that a long file stays quick.
	lines := bytes.SplitAfter(src, []byte("\n"))
	for k := max(line, 1); k <= min(len(lines), line+maxSearch); k++ {
		var n yaml.Node
		err := yaml.Unmarshal(bytes.Join(lines[:k], nil), &n)
		if err != nil && strings.HasSuffix(err.Error(), ": "+msg) {
			return k, msg
		}
	}
	return line, msg
}
