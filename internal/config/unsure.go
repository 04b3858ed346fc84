package config

import (
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// A misspelt key, or a value of the wrong type, leaves the setting it
// meant at its default (or zero), and checking the rest as decoded would
// complain of that default: "sources.lb has no token" of a source whose tokns: is
// misspelt. So each such key makes a scope unsure: the section that holds
// it (at the top level, the key meant, or every section when none is
// near), and a problem found later within, or around, an unsure scope is
// not said; the rest of the file is checked as usual.

// doubt makes unsure the scope of the key named name (any key when "")
// at line: a misspelt or mistyped key found there. A key at the top level
// stands for meant, the key it probably misspells ("" when none is near:
// then every setting is unsure). The setting not read as written is
// recorded too (unread): the key meant, or the mistyped one; the section
// of a misspelt key like no other.
func (l *loader) doubt(line int, name, meant string) {
	path := l.pathAt(line, name)
	key := slices.Clone(path)
	if name != "" && len(key) > 0 { // the key misspelt is no setting: the one meant is unread
		key = key[:len(key)-1]
		if meant != "" {
			key = append(key, meant)
		}
	}
	switch {
	case len(path) > 1:
		path = path[:len(path)-1]
	case len(path) == 1 && meant != "":
		path = []string{meant}
	case len(path) == 1 && name == "": // a top-level key of the wrong type: that setting
	default:
		path, key = nil, nil
	}
	l.unsure = append(l.unsure, path)
	l.unread = append(l.unread, key)
}

// doubtMapping makes unsure the whole mapping that holds the key named
// name at line, given twice there: yaml decodes nothing of such a mapping,
// so every setting in it is at its default. At the top level that is
// every setting: a snippet of the install guide (data_dir:, crm:, ...)
// appended to the example configuration, which has those keys, was also
// told "no sources configured" at its sources: line.
func (l *loader) doubtMapping(line int, name string) {
	path := l.pathAt(line, name)
	if len(path) > 0 {
		path = path[:len(path)-1]
	}
	if len(path) == 0 {
		path = nil // the root: every setting
	}
	l.unsure = append(l.unsure, path)
	l.unread = append(l.unread, path)
}

// doubtful reports whether a problem at path may follow from a key
// doubt made unsure: path is within or around an unsure scope.
func (l *loader) doubtful(path []string) bool {
	return slices.ContainsFunc(l.unsure, func(scope []string) bool { return nested(scope, path) })
}

// nested reports whether one of a and b is a prefix of the other.
func nested(a, b []string) bool {
	n := min(len(a), len(b))
	return slices.Equal(a[:n], b[:n])
}

// pathAt is the key path of the deepest key at line named name (any key
// when ""), or of the item of a list there; nil when none is.
func (l *loader) pathAt(line int, name string) []string {
	n := l.top()
	var found []string
	var walk func(n *yaml.Node, path []string)
	walk = func(n *yaml.Node, path []string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				p := append(slices.Clone(path), k.Value)
				if k.Line == line && (name == "" || k.Value == name) {
					found = p
				}
				walk(n.Content[i+1], p)
			}
		case yaml.SequenceNode:
			for i, item := range n.Content {
				p := append(slices.Clone(path), strconv.Itoa(i))
				if item.Line == line && name == "" && len(found) < len(p) {
					found = p
				}
				walk(item, p)
			}
		}
	}
	walk(n, nil)
	return found
}

// Settled reports whether the setting at path (a section, "mapping", or a
// key, "crm", "kind") was read as the file gives it and has no problem:
// no misspelt or mistyped key may have left it at a default, and nothing
// wrong was found in it. Only a configuration Check returned with its
// problems has settings that are not.
func (c *Config) Settled(path ...string) bool {
	return !slices.ContainsFunc(c.unsettled, func(scope []string) bool { return nested(scope, path) })
}
