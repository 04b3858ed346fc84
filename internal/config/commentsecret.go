package config

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/syncd-dev/syncd/internal/yamlpos"
)

// commentedSecrets warns of a password or DSN written out of quotes with
// a comment after it on its line: YAML ends a value not in quotes at " #",
// so a password "abc #def" was read as "abc", silently, and a sender's
// right password was answered 401 (a mail server's refused). A comment
// after it is YAML too, so it is a warning, not a problem; one after a
// ${NAME} is no part of a secret, and neither is one after a token, which
// holds no blank.
func (l *loader) commentedSecrets(cfg *Config, src []byte) {
	lines := yamlpos.Lines(src)
	paths := [][]string{{"report", "mail", "password"}, {"store", "dsn"}}
	for _, name := range cfg.SourceNames() {
		paths = append(paths, []string{"sources", name, "basic_auth", "password"})
	}
	for _, path := range paths {
		n := l.node(path)
		if n == nil || n.Kind != yaml.ScalarNode || n.Style != 0 || n.Value == "" || n.LineComment == "" || n.Line < 1 || n.Line > len(lines) {
			continue
		}
		if line := []rune(lines[n.Line-1]); n.Column < 1 || n.Column > len(line) || strings.Contains(string(line[n.Column-1:]), "${") {
			continue
		}
		what := "password"
		if path[len(path)-1] == "dsn" {
			what = "connection string"
		}
		l.warnAt(path, "%s: the text after \" #\" on this line is a YAML comment, not part of the value, which ends before it: "+
			"if the %s holds \" #\", put the whole value in single quotes; if it is a comment, put it on the line above",
			strings.Join(path, "."), what)
	}
}

// commentedPaths warns of a directory or file setting written out of
// quotes with " #" in its path: YAML ends a value not in quotes at " #",
// so data_dir: /srv/agency #2 data was read as /srv/agency, silently, and
// the daemon served and wrote its database there. A comment after a path
// is YAML too, and the example's own settings carry some: it is said only
// where the "#" follows the value after one blank and comes before no
// blank ("#2"), as in a name, not as a comment is written ("# ...").
// The secret file settings (each entry of token_files too) are looked at
// alike: one cut so was read as a file that is not there, and its "no
// such file" named a path nobody wrote; readNeeded now says the path was
// cut (l.cut), or it is warned where the shorter path is a file.
func (l *loader) commentedPaths(src []byte) {
	lines := yamlpos.Lines(src)
	for _, path := range append([][]string{{"data_dir"}, {"mapping", "dir"}, {"report", "dir"}, {"report", "mail", "ca_file"}},
		l.secretFileSettings()...) {
		n := l.node(path)
		if n == nil || n.Kind != yaml.ScalarNode || n.Style != 0 || n.Value == "" || n.LineComment == "" || n.Line < 1 || n.Line > len(lines) {
			continue
		}
		line := []rune(lines[n.Line-1])
		end := n.Column - 1 + utf8.RuneCountInString(n.Value)
		if n.Column < 1 || end > len(line) || string(line[n.Column-1:end]) != n.Value {
			continue // a ${NAME} expanded, or a value the line does not hold as it is
		}
		rest := strings.TrimRight(string(line[end:]), " \t")
		if len(rest) < 3 || !strings.HasPrefix(rest, " #") || rest[2] == ' ' || rest[2] == '\t' {
			continue
		}
		name := secretSetting(path)
		quoted, err := yaml.Marshal(n.Value + rest)
		if err != nil {
			continue
		}
		written := name + ": " + strings.TrimSpace(string(quoted))
		if name != strings.Join(path, ".") { // an entry of a list
			written = "- " + strings.TrimSpace(string(quoted))
		}
		if l.cut == nil {
			l.cut = map[string]string{}
		}
		l.cut[strings.Join(path, ".")] = fmt.Sprintf("the path written is cut short at \" #\" on its line, as YAML ends a "+
			"value out of quotes there (the rest is a comment): if the file is %s, put it in quotes (%s)", n.Value+rest, written)
		l.warnAt(path, "%s %s: the text after \" #\" on this line is a YAML comment, not part of the path, which ends "+
			"before it: if the path holds \" #\", put it in quotes (%s); if it is a comment, put it on the line above",
			name, n.Value, written)
	}
}

// secretFileSettings are the key paths of the secret file settings the
// file writes, each entry of a source's token_files by its index, as
// readSecret names them.
func (l *loader) secretFileSettings() [][]string {
	paths := [][]string{{"crm", "hubspot", "token_file"}, {"crm", "pipedrive", "token_file"},
		{"report", "mail", "password_file"}, {"store", "dsn_file"}}
	sources := l.node([]string{"sources"})
	if sources == nil || sources.Kind != yaml.MappingNode {
		return paths
	}
	for i := 0; i+1 < len(sources.Content); i += 2 {
		name := sources.Content[i].Value
		paths = append(paths, []string{"sources", name, "basic_auth", "password_file"})
		if files := l.node([]string{"sources", name, "token_files"}); files != nil && files.Kind == yaml.SequenceNode {
			for j := range files.Content {
				paths = append(paths, []string{"sources", name, "token_files", strconv.Itoa(j)})
			}
		}
	}
	return paths
}
