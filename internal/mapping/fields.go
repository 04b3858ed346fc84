package mapping

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"go.yaml.in/yaml/v3"

	"github.com/syncd-dev/syncd/internal/suggest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// fieldDecl is a `fields:` declaration: what a custom CRM property must be
// like, for `syncd crm check` and `syncd crm setup`.
type fieldDecl struct {
	spec syncd.FieldSpec
	line int
	file string
	also []string // "file:line" of the same declaration in other files (mergeFields)
}

// fieldsBlock reads a file's `fields:` section:
//
//	fields:
//	  deal:
//	    syncd_lead_id: {type: string, unique: true, label: "Lead id (syncd)"}
func (p *parser) fieldsBlock(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		p.errf(n.Line, "", "fields: want a mapping of contact/deal to fields, got %s", kindName(n))
		return
	}
	for _, kv := range p.pairs(n, "") {
		kind := syncd.RecordKind(kv.key.Value)
		if kind != syncd.RecordContact && kind != syncd.RecordDeal {
			p.errf(kv.key.Line, "", "fields: unknown record kind %q (want contact or deal)", kv.key.Value)
			continue
		}
		if kv.val.Kind != yaml.MappingNode {
			p.errf(kv.val.Line, "", "fields.%s: want a mapping of field names, got %s", kind, kindName(kv.val))
			continue
		}
		for _, f := range p.pairs(kv.val, "") {
			if d, ok := p.fieldDecl(kind, f.key, f.val); ok {
				p.fields = append(p.fields, d)
			}
		}
	}
}

func (p *parser) fieldDecl(kind syncd.RecordKind, key, val *yaml.Node) (fieldDecl, bool) {
	where := "fields." + string(kind) + "." + key.Value
	d := fieldDecl{spec: syncd.FieldSpec{Kind: kind, Name: key.Value}, line: key.Line, file: p.file}
	if !validPropName(key.Value) {
		p.errf(key.Line, "", "%s: bad field name", where)
		return d, false
	}
	if val.Kind != yaml.MappingNode {
		p.errf(val.Line, "", "%s: want {type: ..., label: ..., unique: ..., options: [...]}, got %s", where, kindName(val))
		return d, false
	}
	ok := true
	for _, kv := range p.pairs(val, "") {
		switch kv.key.Value {
		case "type", "label":
			s, good := p.scalar(kv.val, "", where+"."+kv.key.Value)
			ok = ok && good
			if kv.key.Value == "type" {
				d.spec.Type = s
				ok = ok && (!good || p.knownType(kv.val, s, where))
			} else {
				d.spec.Label = s
			}
		case "unique":
			b, err := strconv.ParseBool(kv.val.Value)
			if err != nil {
				p.errf(kv.val.Line, "", "%s.unique: want true or false", where)
				ok = false
			}
			d.spec.Unique = b
		case "options":
			if kv.val.Kind != yaml.SequenceNode {
				p.errf(kv.val.Line, "", "%s.options: want a list", where)
				ok = false
				continue
			}
			for _, o := range kv.val.Content {
				if s, good := p.scalar(o, "", where+".options"); good {
					d.spec.Options = append(d.spec.Options, s)
				}
			}
		default:
			p.errf(kv.key.Line, "", "%s: unknown key %q (%s)", where, kv.key.Value,
				keysHint(kv.key.Value, []string{"type", "label", "unique", "options"}, "type, label, unique, options"))
			ok = false
		}
	}
	if d.spec.Type == "" && ok {
		msg := "missing type"
		if ft, listed := fieldTypes[p.cfg.target]; listed {
			msg += fmt.Sprintf(": give it one of the %s %s types (%s), as {type: %s}", p.cfg.target, ft.noun, ft.types,
				strings.Split(ft.types, ", ")[0])
		}
		p.errf(key.Line, "", "%s: %s", where, msg)
		ok = false
	}
	return d, ok
}

// fieldTypes are the types `fields:` may declare, per CRM: HubSpot's
// property types and Pipedrive's field types, those `syncd crm setup` can
// create and `syncd crm check` compares.
var fieldTypes = map[string]struct{ noun, types string }{
	"hubspot": {"property", "string, number, date, datetime, enumeration, bool"},
	"pipedrive": {"field", "varchar, varchar_auto, varchar_options, text, double, monetary, date, daterange, " +
		"time, timerange, enum, set, phone, address, user, org, people"},
}

// knownType reports a declared type the target CRM does not have (a
// misspelt one, or another CRM's), which crm setup would send to be
// refused; any type goes for a target without a list (dryrun).
func (p *parser) knownType(n *yaml.Node, typ, where string) bool {
	ft, listed := fieldTypes[p.cfg.target]
	types := strings.Split(ft.types, ", ")
	if !listed || slices.Contains(types, typ) {
		return true
	}
	msg := fmt.Sprintf("%s.type: %q is not a %s %s type (%s)", where, typ, p.cfg.target, ft.noun, ft.types)
	if near := suggest.Nearest(typ, types); near != "" {
		msg += fmt.Sprintf("; did you mean %q?", near)
	}
	p.errf(n.Line, "", "%s", msg)
	return false
}

// validPropName accepts a CRM property name, or a Pipedrive field's name
// as a person sees it ("Lead source", "Budget (DKK)").
func validPropName(s string) bool {
	if s == "" || s == "#" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f || r == '"' || r == '\\' {
			return false
		}
	}
	return true
}

// specDiff says how declaration b differs from a, as "label \"x\" there,
// \"y\" here", for each of type, label, unique and options.
func specDiff(a, b syncd.FieldSpec) string {
	var out []string
	if a.Type != b.Type {
		out = append(out, fmt.Sprintf("type %s there, %s here", orNone(a.Type), orNone(b.Type)))
	}
	if a.Label != b.Label {
		out = append(out, fmt.Sprintf("label %s there, %s here", quotedOrNone(a.Label), quotedOrNone(b.Label)))
	}
	if a.Unique != b.Unique {
		out = append(out, fmt.Sprintf("unique %t there, %t here", a.Unique, b.Unique))
	}
	if !slices.Equal(a.Options, b.Options) {
		out = append(out, fmt.Sprintf("options [%s] there, [%s] here", strings.Join(a.Options, ", "), strings.Join(b.Options, ", ")))
	}
	return strings.Join(out, "; ")
}

// orNone is s, or "none" when it is empty.
func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// quotedOrNone is s quoted, or "none" when it is empty.
func quotedOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return strconv.Quote(s)
}

// mergeFields collects the declarations of every file; a field declared
// twice must be declared alike.
func mergeFields(decls []fieldDecl) (map[fieldKey]fieldDecl, LoadErrors) {
	out := map[fieldKey]fieldDecl{}
	var errs LoadErrors
	for _, d := range decls {
		k := fieldKey{d.spec.Kind, d.spec.Name}
		prev, dup := out[k]
		if diff := specDiff(prev.spec, d.spec); dup && diff != "" {
			errs = append(errs, &LoadError{File: d.file, Line: d.line,
				Msg: fmt.Sprintf("fields.%s.%s: declared differently at %s:%d (%s): declare it alike in every file that declares it",
					k.kind, k.name, prev.file, prev.line, diff)})
			continue
		}
		if !dup {
			out[k] = d
		} else {
			prev.also = append(prev.also, fmt.Sprintf("%s:%d", d.file, d.line))
			out[k] = prev
		}
	}
	return out, errs
}

type fieldKey struct {
	kind syncd.RecordKind
	name string
}

// Fields lists every property the rules write and every declared field,
// with their declarations and the constant values written into them,
// sorted by kind (contacts first) and name. nil Rules (none loaded)
// write none.
func (r *Rules) Fields() []syncd.FieldSpec {
	if r == nil {
		return nil
	}
	got := map[fieldKey]*syncd.FieldSpec{}
	for k, d := range r.fields {
		s := d.spec
		s.Where = fmt.Sprintf("%s:%d", d.file, d.line)
		s.Places = append([]string{s.Where}, d.also...)
		got[k] = &s
	}
	for _, ru := range r.rules {
		for _, blk := range []struct {
			kind  syncd.RecordKind
			props []prop
		}{{syncd.RecordContact, ru.contact}, {syncd.RecordDeal, ru.deal}} {
			for _, p := range blk.props {
				k := fieldKey{blk.kind, p.name}
				s := got[k]
				if s == nil {
					s = &syncd.FieldSpec{Kind: blk.kind, Name: p.name, Where: fmt.Sprintf("%s:%d", ru.file, p.line)}
					got[k] = s
				}
				at := fmt.Sprintf("%s:%d", ru.file, p.line)
				if !slices.Contains(s.Places, at) {
					s.Places = append(s.Places, at)
				}
				vals, dynamic := p.outcomes()
				s.Writes = append(s.Writes, syncd.Write{Rule: fmt.Sprintf("%s:%d", ru.file, ru.line), At: at,
					Values: slices.DeleteFunc(slices.Clone(vals), func(v string) bool { return v == "" }), Dynamic: dynamic})
				s.WrittenWhere = cmp.Or(s.WrittenWhere, at)
				if dynamic {
					s.DynamicWhere = cmp.Or(s.DynamicWhere, at)
				}
				for _, v := range vals {
					if v == "" {
						continue
					}
					if !slices.Contains(s.Values, v) {
						s.Values = append(s.Values, v)
						if s.ValueWhere == nil {
							s.ValueWhere, s.ValuePlaces = map[string]string{}, map[string][]string{}
						}
						s.ValueWhere[v] = at
					}
					if !slices.Contains(s.ValuePlaces[v], at) {
						s.ValuePlaces[v] = append(s.ValuePlaces[v], at)
					}
				}
				s.Dynamic = s.Dynamic || dynamic
			}
		}
	}
	out := make([]syncd.FieldSpec, 0, len(got))
	for _, s := range got {
		sort.Strings(s.Values)
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind == syncd.RecordContact
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// outcomes are the values a property can take that are known before run
// time: a constant, or the string literals an expression can end in
// (`a ? "x" : "y"`); dynamic when some outcome is known only at run time.
func (p prop) outcomes() (vals []string, dynamic bool) {
	switch {
	case p.isPath:
		return nil, true
	case p.prog == nil:
		return []string{p.constant}, false
	}
	return literals(p.prog.Node())
}

func literals(n ast.Node) ([]string, bool) {
	switch n := n.(type) {
	case *ast.StringNode:
		return []string{n.Value}, false
	case *ast.IntegerNode:
		return []string{strconv.Itoa(n.Value)}, false
	case *ast.ConditionalNode:
		a, da := literals(n.Exp1)
		b, db := literals(n.Exp2)
		return append(a, b...), da || db
	}
	return nil, true
}

// messageProps are the CRM's own properties of long text that a mapping
// writes a lead's message into: HubSpot's contact message and deal
// description.
var messageProps = map[fieldKey]bool{{syncd.RecordContact, "message"}: true, {syncd.RecordDeal, "description"}: true}

// markMessages marks the properties that hold a message: one of
// messageProps, or one the mappings declare as long text (Pipedrive's
// text). A message keeps its directional marks and soft hyphens, which
// order and break its text ("غرف\u200f!" puts the "!" at the end of the
// Arabic); every other field, one line long, is sent without them
// (fieldText), as a name is; text of several lines is a message wherever
// it goes.
func (rs *Rules) markMessages() {
	for _, ru := range rs.rules {
		for kind, ps := range map[syncd.RecordKind][]prop{syncd.RecordContact: ru.contact, syncd.RecordDeal: ru.deal} {
			for i := range ps {
				k := fieldKey{kind, ps[i].name}
				ps[i].message = messageProps[k] || rs.fields[k].spec.Type == "text"
			}
		}
	}
}
