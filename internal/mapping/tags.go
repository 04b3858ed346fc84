package mapping

import (
	"github.com/syncd-dev/syncd/internal/yamlpos"
	"go.yaml.in/yaml/v3"
)

// tagged reports, with an error at each, the values under n that YAML
// read with a tag of their own: a value not in quotes that starts with !
// (a "!" and a blank, "!(payload.x"), as an expression's not would. YAML
// leaves the tag out of the value, so the expression would silently be
// the contrary of the one written, or a part of it. A type written out
// (!!str, !!int, ...) is YAML's own and no mistake.
func (p *parser) tagged(n *yaml.Node) bool {
	found := false
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if tag := p.tagAt(n); tag != "" {
			found = true
			p.errf(n.Line, "", "column %d: YAML reads %q at the start of a value not in quotes as a YAML tag, not as text, "+
				"and leaves it out of the value (an expression's ! would be lost): put the whole value in single quotes", n.Column, tag)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return found
}

// tagAt is the tag written at the start of n in the file, as written
// there, when it is not one of YAML's own types (!!x); "" for none.
func (p *parser) tagAt(n *yaml.Node) string {
	if n.Kind == yaml.DocumentNode {
		return ""
	}
	return yamlpos.LeadingTag(p.lines, n.Line, n.Column)
}
