package config

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// notType is yaml's refusal of a value for a key of another type: the tag
// of what the file gives, what it quoted of it (a scalar's first
// characters), and the Go type of the key. Said alone, it named neither
// the key nor what to write: "cannot unmarshal !!str `1MiB` into int64".
var notType = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `([^`]*)`)? into (\\S+)$")

// digitsOnly is a whole number as yaml quotes it, cut with ... when long.
var digitsOnly = regexp.MustCompile(`^-?[0-9]+(\.\.\.)?$`)

// typeWords says, in syncd's words alone, what is wrong with the value at
// line that yaml refused (msg, its "cannot unmarshal !!str `1MiB` into
// int64", which names a Go type and a YAML tag an operator has no use
// for): which key it is and what that key takes (for a duration,
// durationHint's words); "" when msg is no such refusal. It never repeats
// the value: it may be a secret.
func (l *loader) typeWords(line int, msg string) string {
	m := notType.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	path := l.valueAt(line, m[1], m[2], m[3])
	if len(path) == 0 { // two keys on one line, or the file itself: the value's line, and what it is not
		return unnamedType(m[3], msg)
	}
	key, name := strings.Join(path, "."), path[len(path)-1]
	if quotedAs(l.node(path), m[3]) {
		what := map[string]string{"int": "a whole number", "int64": "a whole number", "bool": "true or false"}[m[3]]
		return fmt.Sprintf("%s is %s, and the quotes around this one make it text: write it without them", key, what)
	}
	switch typ := m[3]; {
	case typ == "time.Duration":
		return key + ": " + durationHint(msg)
	case (typ == "int" || typ == "int64") && digitsOnly.MatchString(m[2]): // past what the key holds, which yaml reads as a float
		return fmt.Sprintf("%s is too large a number: write a smaller one%s", key, numberExample(path))
	case typ == "int" || typ == "int64":
		return fmt.Sprintf("%s is a whole number: write digits only%s", key, numberExample(path))
	case typ == "bool":
		return fmt.Sprintf("%s is true or false", key)
	case typ == "[]string":
		item := map[string]string{"tokens": "TOKEN", "token_files": "FILE", "to": "ADDRESS", "allow_ips": "CIDR",
			"trusted_proxies": "CIDR"}[name]
		if item == "" {
			item = "ITEM"
		}
		return fmt.Sprintf("%s is a list: %s: [%s], or each on a line of its own below it as - %s", key, name, item, item)
	case typ == "string":
		return fmt.Sprintf("%s is one value, not a list or a section: write it after the key, %s: VALUE", key, name)
	case strings.HasPrefix(typ, "map["):
		return fmt.Sprintf("%s is a section of names you choose: write each on a line of its own below it, indented, "+
			"and its keys below the name, indented again", key)
	default: // a section: config.CRM
		example := ""
		if keys := keysByType[typ]; len(keys) > 0 {
			example = fmt.Sprintf(" (%s:, then %s: on the next line, indented)", name, keys[0])
		}
		return fmt.Sprintf("%s is a section, not a value: write its keys on the lines below it, indented%s", key, example)
	}
}

// unnamedType is typeWords for a value whose key is not known (two on
// one line, {a: 1, b: x}): what a key of Go type typ takes, said of the
// value at the problem's line.
func unnamedType(typ, msg string) string {
	switch {
	case typ == "time.Duration":
		return "a value on this line is not a duration: " + durationHint(msg)
	case typ == "int" || typ == "int64":
		return "a value on this line is not a whole number: its key takes digits only"
	case typ == "bool":
		return "a value on this line is not true or false, which its key takes"
	case typ == "[]string":
		return "a value on this line is not a list, which its key takes: [ITEM, ITEM]"
	case typ == "string":
		return "a value on this line is a list or a section, where its key takes one value"
	case typ == "config.Config":
		return "the file is not a configuration: it holds keys, each at the start of its line (listen:, sources:, crm:, ...)"
	case strings.HasPrefix(typ, "map["):
		return "a value on this line is not a section of names, which its key takes"
	default:
		return "a value on this line is not a section, which its key takes: write its keys on the lines below it, indented"
	}
}

// quotedAs reports whether n is a value in quotes that, without them,
// YAML reads as of the Go type typ: "587" for a port, "true" for a
// switch (yaml takes 587 and true, and refuses them in quotes as text).
func quotedAs(n *yaml.Node, typ string) bool {
	if n == nil || n.Kind != yaml.ScalarNode || n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		return false
	}
	switch typ {
	case "int", "int64":
		_, err := strconv.ParseInt(n.Value, 10, 64)
		return err == nil
	case "bool":
		return slices.Contains([]string{"true", "false"}, strings.ToLower(n.Value)) // yaml takes "yes" and "no" in quotes
	}
	return false
}

// numberExample is ", as N" for the key at path: its default, or nothing.
func numberExample(path []string) string {
	switch i := slices.IndexFunc(boundedKeys(), func(b bounded) bool { return slices.Equal(b.path, path) }); {
	case i >= 0 && !boundedKeys()[i].dur:
		return ", as " + boundedKeys()[i].def + ", the default"
	case len(path) == 2 && path[0] == "retention":
		return ", as " + strconv.Itoa(DefaultRetentionDays) + " (days)"
	}
	return ""
}

// valueAt is the key path of the value at line that yaml refused: of kind
// tag (seq, map, or a scalar's), beginning with quoted for a scalar (yaml
// cuts a long one with ...), at a key of Go type typ; nil when no single
// key matches.
func (l *loader) valueAt(line int, tag, quoted, typ string) []string {
	var found [][]string
	var walk func(n *yaml.Node, path []string)
	walk = func(n *yaml.Node, path []string) {
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, p := n.Content[i+1], append(slices.Clone(path), n.Content[i].Value)
			if v.Line == line && kindMatches(v, tag, quoted) && typeOf(p) == typ {
				found = append(found, p)
			}
			walk(v, p)
		}
	}
	root := l.top()
	walk(root, nil)
	if len(found) != 1 {
		return nil
	}
	return found[0]
}

// typeOf is the Go type of the key at path (a source's name stands for
// any), as fieldTypes names it; "" for no key.
func typeOf(path []string) string {
	typ := "config.Config"
	for i, key := range path {
		if i > 0 && path[i-1] == "sources" && typ == "map[string]config.Source" {
			typ = "config.Source"
			continue
		}
		typ = fieldTypes[typ][key]
	}
	return typ
}

// kindMatches reports whether n is what yaml said it refused.
func kindMatches(n *yaml.Node, tag, quoted string) bool {
	switch tag {
	case "seq":
		return n.Kind == yaml.SequenceNode
	case "map":
		return n.Kind == yaml.MappingNode
	}
	cut, short := strings.CutSuffix(quoted, "...")
	return n.Kind == yaml.ScalarNode && (n.Value == quoted || short && strings.HasPrefix(n.Value, cut))
}

// wholeNumbers refuses a number with a fraction written for a key that
// takes a whole one, which yaml takes and cuts silently: intake.max_batch:
// 1.5 was 1, retention.event_days: 0.5 was 0, for ever.
func (l *loader) wholeNumbers() {
	root := l.top()
	var walk func(n *yaml.Node, path []string, typ string)
	walk = func(n *yaml.Node, path []string, typ string) {
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, v := n.Content[i].Value, n.Content[i+1]
			p := append(slices.Clone(path), key)
			field, ok := fieldTypes[typ][key]
			switch {
			case typ == "sources": // a source's name, then its keys
				walk(v, p, "config.Source")
			case !ok:
			case field == "int" || field == "int64":
				f, err := strconv.ParseFloat(v.Value, 64)
				if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!float" && err == nil && f != math.Trunc(f) {
					l.at(p, "%s %s is not a whole number: write a whole one, as %s%s", strings.Join(p, "."), v.Value,
						strconv.FormatFloat(math.Max(1, math.Round(f)), 'f', 0, 64), unitOf(p))
				}
			case field == "map[string]config.Source":
				walk(v, p, "sources")
			default:
				walk(v, p, field)
			}
		}
	}
	walk(root, nil, "config.Config")
}

// unitOf names what a whole-number key counts, when it is not plain.
func unitOf(path []string) string {
	switch k := path[len(path)-1]; {
	case strings.HasSuffix(k, "_days"):
		return " (days)"
	case strings.HasSuffix(k, "_bytes"):
		return " (bytes)"
	}
	return ""
}
