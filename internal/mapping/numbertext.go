package mapping

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/expr-lang/expr/ast"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// numberTypes are the declarable field types that hold a number, per
// target CRM; numberProps the CRMs' own deal properties that do.
var (
	numberTypes = map[string][]string{"hubspot": {"number"}, "pipedrive": {"double", "monetary"}}
	numberProps = map[string]string{"hubspot": "amount", "pipedrive": "value"}
	crmNames    = map[string]string{"hubspot": "HubSpot number property", "pipedrive": "Pipedrive number field"}
)

// numbersAsText lists the properties that write a sender's text field, as
// it is, into a field that holds a number: the CRM reads a number written
// as people write it in its own way ("450.000" as 450) or refuses it with
// the lead; number() reads it as the source's region writes it. Only what
// is certain is listed: a path, or an expression that is only a path, to
// a field the sender's payload type holds as text.
func (r *Rules) numbersAsText() LoadErrors {
	var ws LoadErrors
	for _, ru := range r.rules {
		for _, b := range []struct {
			kind  syncd.RecordKind
			props []prop
		}{{syncd.RecordContact, ru.contact}, {syncd.RecordDeal, ru.deal}} {
			for _, p := range b.props {
				what := r.numberField(b.kind, p.name)
				src := senderText(p, ru.envType)
				if what == "" || src == "" {
					continue
				}
				ws = append(ws, &LoadError{File: ru.file, Line: p.line, Rule: ru.name, Msg: fmt.Sprintf(
					`%s.%s: writes the sender's text %s as it is into a %s (%s): a number written as people write it reaches the CRM as another number ("450.000" as 450) or is refused with its lead; write {expr: 'number(%s)'}`,
					b.kind, p.name, src, crmNames[r.target], what, src)})
			}
		}
	}
	return ws
}

// numberField says what holds a number in the property name of kind: its
// declared type, or the deal's own number property; "" when it does not.
func (r *Rules) numberField(kind syncd.RecordKind, name string) string {
	if kind == syncd.RecordDeal && name == numberProps[r.target] {
		return "the deal's " + name
	}
	for k, d := range r.fields {
		same := k.name == name || r.target == "pipedrive" && strings.EqualFold(k.name, name) // Pipedrive folds case
		for _, t := range numberTypes[r.target] {
			if k.kind == kind && same && d.spec.Type == t {
				return t
			}
		}
	}
	return ""
}

// senderText is the path p writes as it is, when it is a field the
// payload type t holds as text; "" otherwise (a constant, an expression
// that computes, an event type without a documented payload).
func senderText(p prop, t reflect.Type) string {
	if t == nil {
		return ""
	}
	path := p.path
	if p.prog != nil {
		path = pathOf(p.prog.Node())
	}
	if path == "" || (!p.isPath && p.prog == nil) {
		return ""
	}
	if typ := typeAt(strings.Split(path, "."), t); typ == nil || typ.Kind() != reflect.String {
		return ""
	}
	return path
}

// pathOf is the dotted path an expression that only reads a field is
// ("payload.client.company"), or "".
func pathOf(n ast.Node) string {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		return n.Value
	case *ast.MemberNode:
		prop, ok := n.Property.(*ast.StringNode)
		if base := pathOf(n.Node); ok && base != "" && !n.Optional {
			return base + "." + prop.Value
		}
	}
	return ""
}

// typeAt is the type of the value at segs in payloads of type t, or nil;
// paths into lists are left out.
func typeAt(segs []string, t reflect.Type) reflect.Type {
	for _, s := range segs {
		if t.Kind() != reflect.Struct || s == metaField {
			return nil
		}
		f, ok := fieldByTag(t, s)
		if !ok {
			return nil
		}
		t = f.Type
	}
	return t
}
