package mapping

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"
	exprfile "github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// literalArgs refuses a format or formatDate call whose text, written in
// the expression, would put Go's own marks into every lead's value:
// format("%s – %s (%s)", a, b) gives "… (%!s(MISSING))", format("%d", s)
// of a text "%!d(string=…)", and formatDate(v, "DD/MM/YYYY") the letters
// "DD/MM/YYYY", none of which a salesperson can read and a date property
// refuses with the lead. They loaded and validate said ok.
func literalArgs(prog *vm.Program) error {
	var at ast.Node
	var why string
	root := prog.Node()
	ast.Find(root, func(node ast.Node) bool {
		n, ok := node.(*ast.CallNode)
		if !ok {
			return false
		}
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return false
		}
		switch {
		case id.Value == "format" && len(n.Arguments) > 0:
			if s, lit := n.Arguments[0].(*ast.StringNode); lit {
				at, why = s, formatProblem(s.Value, n.Arguments[1:])
			}
		case id.Value == "formatDate" && len(n.Arguments) > 1:
			if s, lit := n.Arguments[1].(*ast.StringNode); lit {
				at, why = s, layoutProblem(s.Value)
			}
		}
		return why != ""
	})
	if why == "" {
		return nil
	}
	loc := (&exprfile.Error{Location: at.Location()}).Bind(prog.Source())
	return fmt.Errorf("expression: %s (%d:%d)", why, loc.Line, loc.Column+1)
}

// numberVerbs are the verbs of fmt that write a number, and write a text
// as "%!d(string=…)".
const numberVerbs = "bcdoOUeEfFgG"

// formatProblem says what is wrong with format's text f given the values
// args, or is "": a place for a value (%s) that no value fills, a value no
// place takes, or a number's verb (%d) given a text.
func formatProblem(f string, args []ast.Node) string {
	var verbs []string
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(f) && strings.IndexByte("+-# 0123456789.", f[j]) >= 0 {
			j++
		}
		if j >= len(f) {
			break
		}
		switch f[j] {
		case '%':
			i = j
			continue
		case '*', '[': // a width or an argument's index given as a value: not judged
			return ""
		}
		verbs = append(verbs, f[i:j+1])
		i = j
	}
	places := fmt.Sprintf("%d places for a value (%s)", len(verbs), strings.Join(verbs, ", "))
	if len(verbs) == 1 {
		places = "1 place for a value (" + verbs[0] + ")"
	}
	switch {
	case len(verbs) > len(args):
		return fmt.Sprintf("format's text %q has %s and is given %d: each lead's value would end in Go's %q; "+
			"give a value for each, or write a %% meant as text as %%%%", f, places, len(args), "%!s(MISSING)")
	case len(verbs) < len(args):
		return fmt.Sprintf("format's text %q has %s and is given %d values: each lead's value would end in Go's %q; "+
			"write a %%s for each value", f, places, len(args), "%!(EXTRA …)")
	}
	for i, v := range verbs {
		if t := args[i].Type(); t != nil && t.Kind() == reflect.String && strings.IndexByte(numberVerbs, v[len(v)-1]) >= 0 {
			return fmt.Sprintf("format's %s writes a number, and its value is text (a payload's field is, even when it holds digits): "+
				"each lead's value would be Go's %q; write %%s", v, "%!"+v[len(v)-1:]+"(string=…)")
		}
	}
	return ""
}

// otherLayout finds the marks of the layouts other languages and
// spreadsheets write dates with (YYYY-MM-DD, dd.MM.yyyy, %d/%m/%Y), which
// Go's formatting keeps as letters.
var otherLayout = regexp.MustCompile(`YYYY|yyyy|YY|yy|MMMM|MMM|MM|DD|dd|HH|hh|mm|ss|%[a-zA-Z]`)

// goLayout is the Go layout for each mark otherLayout finds.
var goLayout = map[string]string{
	"YYYY": "2006", "yyyy": "2006", "YY": "06", "yy": "06", "MMMM": "January", "MMM": "Jan", "MM": "01",
	"DD": "02", "dd": "02", "HH": "15", "hh": "03", "mm": "04", "ss": "05",
	"%Y": "2006", "%y": "06", "%m": "01", "%d": "02", "%H": "15", "%I": "03", "%M": "04", "%S": "05",
	"%b": "Jan", "%B": "January", "%p": "PM", "%z": "-0700", "%Z": "MST",
}

// layoutProblem says why layout, formatDate's, is no Go layout, with the
// one meant when it can tell, or is "".
func layoutProblem(layout string) string {
	const how = "a layout is written as Go writes one, by example: the time Mon Jan 2 15:04:05 2006 as the date should look (2006 the year, 01 the month, 02 the day, 15:04:05 the time)"
	if otherLayout.MatchString(layout) {
		meant := otherLayout.ReplaceAllStringFunc(layout, func(m string) string {
			if g, ok := goLayout[m]; ok {
				return g
			}
			return m
		})
		return fmt.Sprintf("formatDate's layout %q is written as other languages write one, and its letters would reach the CRM as they are: %s: write %q", layout, how, meant)
	}
	probe := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	if probe.Format(layout) == layout {
		return fmt.Sprintf("formatDate's layout %q holds no part of a date, so it would be every lead's value: %s, as \"2006-01-02\"", layout, how)
	}
	return ""
}
