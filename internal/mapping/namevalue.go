package mapping

import (
	"reflect"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/tidwall/gjson"
)

// nameHelpers are the helpers that read their first value as a person's
// name.
var nameHelpers = map[string]bool{"firstName": true, "lastName": true, "displayName": true}

// namePaths are the payload's fields an expression gives a name helper
// to read as a name (firstName(contact_name): "contact_name").
func namePaths(n ast.Node) []string {
	v := &nameVisitor{}
	ast.Walk(&n, v)
	return v.paths
}

type nameVisitor struct{ paths []string }

// Visit implements ast.Visitor.
func (v *nameVisitor) Visit(n *ast.Node) {
	c, ok := (*n).(*ast.CallNode)
	if !ok || len(c.Arguments) == 0 {
		return
	}
	if id, ok := c.Callee.(*ast.IdentifierNode); ok && nameHelpers[id.Value] {
		if p := pathOf(c.Arguments[0]); p != "" {
			v.paths = append(v.paths, p)
		}
	}
}

// readName sets the field at path of the payload v, read as a name, as a
// name is read whatever JSON type the sender gave it: a list of texts is
// the parts of the name in order ("Jane Doe" of ["Jane","Doe"], which read
// as "Jane, Doe" was last name first: first name Doe, last name Jane); a
// number or a boolean is no name, left out and noted in odd (a number was
// dropped with no reason given, and true was the first name "true"), as an
// object is (fill). Other values are left as fill set them.
func readName(v reflect.Value, root gjson.Result, path string, odd *oddShapes) {
	r := getPath(root, path, odd)
	text := ""
	switch {
	case r.Type == gjson.Number:
		odd.add(path, "is a number where a name is expected: no name, left out")
	case r.Type == gjson.True || r.Type == gjson.False:
		odd.add(path, "is "+r.Raw+" where a name is expected: no name, left out")
	case r.IsArray():
		var parts []string
		for _, e := range r.Array() {
			if e.Type != gjson.String {
				return // a list of objects or lists: fill noted it
			}
			if s := strings.TrimSpace(e.Str); s != "" {
				parts = append(parts, s)
			}
		}
		text = strings.Join(parts, " ")
	default:
		return
	}
	for name := range strings.SplitSeq(path, ".") {
		if v.Kind() != reflect.Struct {
			return
		}
		f, ok := fieldByTag(v.Type(), name)
		if !ok || name == metaField {
			return
		}
		v = v.FieldByIndex(f.Index)
	}
	if v.Kind() == reflect.String {
		v.SetString(text)
	}
}
