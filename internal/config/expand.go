package config

import (
	"bytes"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}`)

// expandNode replaces ${NAME} and ${NAME:-default} in every scalar under
// n with the environment's values, after the file is parsed: a value is
// taken as it is, so a password holding " #", ": " or a leading * or ! is
// not read as YAML (a comment, a mapping, an alias, a tag). A plain
// scalar is typed again from its new text, so that a number from the
// environment is a number. Only the braced form is expanded, so a literal
// $ in a password stays as it is; $${ is a literal ${.
func (l *loader) expandNode(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode {
		if v, changed := l.expandValue(n.Value, n.Line); changed {
			n.Value = v
			if n.Style == 0 { // plain, untagged: typed by its text
				n.Tag = ""
			}
		}
		return
	}
	for _, c := range n.Content {
		l.expandNode(c)
	}
}

// expandValue expands one scalar's text, found at line.
func (l *loader) expandValue(s string, line int) (string, bool) {
	if !strings.Contains(s, "${") {
		return s, false
	}
	s = strings.ReplaceAll(s, "$${", "\x00{")
	s = envRef.ReplaceAllStringFunc(s, func(m string) string {
		sub := envRef.FindStringSubmatch(m)
		if v := l.env(sub[1]); v != "" {
			return v
		}
		if strings.Contains(m, ":-") {
			return sub[2]
		}
		l.add(line, "environment variable %s is not set", sub[1])
		return ""
	})
	return strings.ReplaceAll(s, "\x00{", "${"), true
}

// expandText expands ${NAME} in the text of every line but comments, for
// a file that is YAML only once expanded (see loader.parse).
func (l *loader) expandText(raw []byte) []byte {
	lines := bytes.Split(raw, []byte("\n"))
	for i, line := range lines {
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) {
			continue
		}
		if v, changed := l.expandValue(string(line), i+1); changed {
			lines[i] = []byte(v)
		}
	}
	return bytes.Join(lines, []byte("\n"))
}
