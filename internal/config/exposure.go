package config

import (
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"

	"al.essio.dev/pkg/shellescape"

	"go.yaml.in/yaml/v3"
)

// othersRead and othersWrite are the permission bits that let every local
// user read, or write, a file.
const (
	othersRead  fs.FileMode = 0o004
	othersWrite fs.FileMode = 0o002
)

// writableConfig is a warning when mode lets every local user write the
// configuration file: any of them could point a CRM's base_url at their own
// server, which would then receive its token and the leads, or add a
// webhook token of their own.
func writableConfig(file string, mode fs.FileMode) []Problem {
	if mode&othersWrite == 0 {
		return nil
	}
	return []Problem{{File: file, Msg: "this file can be written by every local user (mode " + mode.Perm().String() +
		"): any of them could send the CRM token and the leads to their own server: chmod o-w " + shellescape.Quote(file)}}
}

// exposedSecrets returns a warning for each secret written into the
// configuration file itself (not taken from ${ENV}) when mode lets every
// local user read the file: a webhook token, a CRM token or a password is
// then anyone's on the server. raw is the file as read, before expansion.
func exposedSecrets(file string, raw []byte, mode fs.FileMode) []Problem {
	if mode&othersRead == 0 {
		return nil
	}
	var root yaml.Node
	if yaml.Unmarshal(raw, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	var out []Problem
	for _, s := range literalSecrets(root.Content[0]) {
		as := ""
		if s.def != "" {
			as = " (as ${" + s.def + "}'s default, taken wherever " + s.def + " is not set)"
		}
		out = append(out, Problem{File: file, Line: s.line, Msg: s.name +
			" is written in this file" + as + ", which every local user can read (mode " + mode.Perm().String() +
			"): chmod o-r " + shellescape.Quote(file) + ", or move it to a file or an environment variable"})
	}
	return out
}

type secretAt struct {
	name string
	line int
	def  string // the variable whose default the secret is written as, if it is one
}

// literalSecrets finds the secrets written as they are (no ${ENV}) under
// the document's top mapping.
func literalSecrets(top *yaml.Node) []secretAt {
	var out []secretAt
	add := func(name string, k *keyed) {
		if k != nil && k.value.Kind == yaml.ScalarNode && secretWritten(k.value.Value) {
			out = append(out, secretAt{name, k.line, defaultOf(k.value.Value)})
		}
	}
	if sources := lookup(top, "sources"); sources != nil && sources.value.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(sources.value.Content); i += 2 {
			name, src := sources.value.Content[i].Value, sources.value.Content[i+1]
			if tokens := lookup(src, "tokens"); tokens != nil && tokens.value.Kind == yaml.SequenceNode {
				for i, t := range tokens.value.Content {
					add(fmt.Sprintf("sources.%s.tokens entry %d", name, i+1), &keyed{line: t.Line, value: t})
				}
			}
			add("sources."+name+".basic_auth.password", at(src, "basic_auth", "password"))
		}
	}
	add("crm.hubspot.token", at(top, "crm", "hubspot", "token"))
	add("crm.pipedrive.token", at(top, "crm", "pipedrive", "token"))
	add("report.mail.password", at(top, "report", "mail", "password"))
	if dsn := at(top, "store", "dsn"); dsn != nil && dsn.value.Kind == yaml.ScalarNode &&
		dsnPassword.MatchString(written(dsn.value.Value)) {
		out = append(out, secretAt{"the password in store.dsn", dsn.line, ""})
	}
	return out
}

// secretWritten reports whether a secret's value as written in the file
// holds text of the file's own (written), other than the example's
// placeholder, which says change-me and is warned of as one.
func secretWritten(v string) bool {
	w := written(v)
	return strings.TrimSpace(w) != "" && !Placeholder(w)
}

// defaultOf is the name of the variable of value v whose default is all
// the text v writes itself (${NAME:-secret}), or "".
func defaultOf(v string) string {
	m := envRef.FindStringSubmatch(strings.ReplaceAll(v, "$${", "\x00{"))
	if m == nil || m[2] == "" || strings.TrimSpace(m[2]) != strings.TrimSpace(written(v)) {
		return ""
	}
	return m[1]
}

// written is the text of value v that the file itself holds: v with each
// ${NAME} taken out and each ${NAME:-default} replaced by its default. A
// default is in the file, and is the secret whenever NAME is not set (a
// service's unit sets only what it names): ${EAF_TOKEN:-the-real-token},
// the example's placeholder replaced in place, was taken for a value of
// the environment's, and so was the password in
// postgres://syncd:secret@${PGHOST}/syncd.
func written(v string) string {
	v = strings.ReplaceAll(v, "$${", "\x00{")
	v = envRef.ReplaceAllString(v, "$2")
	return strings.ReplaceAll(v, "\x00{", "${")
}

// dsnPassword matches a connection string that holds a password, as a
// URL (postgres://user:secret@host) or as a keyword (password=secret).
var dsnPassword = regexp.MustCompile(`(?i)://[^/@:]*:[^/@]+@|\bpassword\s*=\s*\S`)

// at follows keys from n; nil when one is missing.
func at(n *yaml.Node, keys ...string) *keyed {
	var k *keyed
	for _, key := range keys {
		if k = lookup(n, key); k == nil {
			return nil
		}
		n = k.value
	}
	return k
}

// exposedFile is a warning when every local user can read, or write, the
// secret file p, named at path in the configuration.
func (l *loader) exposedFile(path []string, p string) {
	st, err := os.Stat(l.secretPath(p))
	if err != nil {
		return
	}
	if st.Mode()&othersRead != 0 {
		l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line(path), Msg: secretSetting(path) + ": secret file " + l.secretOpened(p) +
			" can be read by every local user (mode " + st.Mode().Perm().String() + "): chmod o-r " + shellescape.Quote(l.secretOpened(p))})
	}
	if st.Mode()&othersWrite != 0 { // a token of their own, or a password that locks the mail out
		l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line(path), Msg: secretSetting(path) + ": secret file " + l.secretOpened(p) +
			" can be written by every local user (mode " + st.Mode().Perm().String() + "): chmod o-w " + shellescape.Quote(l.secretOpened(p))})
	}
}
