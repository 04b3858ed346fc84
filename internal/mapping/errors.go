package mapping

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// LoadError is one problem in a mapping file: where it is and what is wrong.
type LoadError struct {
	File string // mapping file, as in Op.MappingFile
	Line int    // 1-based; 0 when the file as a whole is wrong
	Rule string // rule name, "#N" for an unnamed rule, "" outside rules
	Msg  string
}

// Error renders the problem as `file:line: rule "name": message`.
func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Rule != "" {
		if strings.HasPrefix(e.Rule, "#") {
			fmt.Fprintf(&b, "rule %s: ", e.Rule)
		} else {
			fmt.Fprintf(&b, "rule %q: ", e.Rule)
		}
	}
	b.WriteString(e.Msg)
	return b.String()
}

// LoadErrors is every problem found while loading mappings, in file and
// line order. Its Error has one problem per line.
type LoadErrors []*LoadError

// Error lists the problems, one per line.
func (es LoadErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap gives errors.Is and errors.As access to each problem.
func (es LoadErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func (es LoadErrors) sort() {
	slices.SortStableFunc(es, func(a, b *LoadError) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}
