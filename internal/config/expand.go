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
			if strings.Contains(m, ":-") {
				l.shellVar(line, sub[1], sub[2])
			}
			return v
		}
		if strings.Contains(m, ":-") {
			return sub[2]
		}
		l.add(line, "environment variable %s is not set, or is empty%s", sub[1], l.serviceEnv(line, sub[1]))
		l.unset = append(l.unset, line)
		return ""
	})
	return strings.ReplaceAll(s, "\x00{", "${"), true
}

// serviceEnv says, where systemd runs syncd ($CREDENTIALS_DIRECTORY is set,
// as the syncd units set it, and as the install guide's validate does),
// that the service has only the environment its unit gives: a variable
// exported in the operator's shell, where validate passed, is not in it,
// and serve stopped with "not set" alone, again at every restart.
func (l *loader) serviceEnv(line int, name string) string {
	if l.env("CREDENTIALS_DIRECTORY") == "" {
		return ""
	}
	return ": a service has only the environment its unit gives it, not a shell's: " + l.giveTheUnit(line, name)
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

// doubtUnset makes unsure the setting at each line a variable not set was
// read at (once the document is parsed), as a mistyped key's: the value
// left empty there drew a second problem, "crm.hubspot.token or
// crm.hubspot.token_file is required" or "sources.lb has no token", of what the first
// said. A line with no setting on it makes nothing unsure.
func (l *loader) doubtUnset() {
	for _, line := range l.unset {
		if len(l.pathAt(line, "")) > 0 {
			l.doubt(line, "", "")
		}
	}
}
