package config

import (
	"regexp"
	"strings"
)

// secretKey matches a line that gives a secret's key (block or flow style).
var secretKey = regexp.MustCompile(`(?:^|[\s{,])(?:tokens|token|password|dsn)\s*:(?:\s|$)`)

// quoted is what the YAML parser quotes of the text it could not read: a
// value (`...`, shortened) or an anchor's name (anchor '...'); not a
// character of its syntax it expected (',' or ']'), nor the examples of
// what to write that syncd's own words give in quotes ('like: this').
var quoted = regexp.MustCompile("`[^`\\s][^`]+`|\\banchor '[^'\\s][^']+'")

// hideSecrets takes out of every problem on a line that holds a secret
// what the YAML parser quoted of it: the secret, or its first characters.
// raw is the file as read; lines are the same once expanded.
func (l *loader) hideSecrets(raw []byte) {
	lines := strings.Split(string(raw), "\n")
	for i, p := range l.problems {
		if p.Line < 1 || p.Line > len(lines) || !holdsSecret(lines, p.Line-1) || !quoted.MatchString(p.Msg) {
			continue
		}
		msg := quoted.ReplaceAllStringFunc(p.Msg, func(q string) string {
			if strings.HasPrefix(q, "anchor ") {
				return "anchor (a secret, not shown)"
			}
			return "(a secret, not shown)"
		})
		switch {
		case strings.Contains(msg, "anchor") && !strings.Contains(msg, "in quotes"): // *x is an alias in YAML
			msg += ": a value beginning with * is read as an alias: put it in quotes"
		}
		l.problems[i].Msg = msg
	}
}

// holdsSecret reports whether lines[i] gives a secret: its key is one, or
// it is an item of a list whose key is (tokens:).
func holdsSecret(lines []string, i int) bool {
	if secretKey.MatchString(lines[i]) {
		return true
	}
	item := strings.TrimLeft(lines[i], " ")
	if !strings.HasPrefix(item, "-") {
		return false
	}
	indent := len(lines[i]) - len(item)
	for j := i - 1; j >= 0; j-- {
		t := strings.TrimLeft(lines[j], " ")
		if t == "" || strings.HasPrefix(t, "#") || (strings.HasPrefix(t, "-") && len(lines[j])-len(t) == indent) {
			continue
		}
		return len(lines[j])-len(t) <= indent && secretKey.MatchString(lines[j])
	}
	return false
}
