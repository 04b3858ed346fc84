package config

import (
	"fmt"
	"regexp"
	"strings"
)

// shellVar is a $NAME at the start of a value: a shell's variable, which
// syncd does not expand (it expands ${NAME} only, so that a $ in a
// password stays as it is).
var shellVar = regexp.MustCompile(`^\$([A-Za-z_][A-Za-z0-9_]*)`)

// shellPath says what is wrong with a path setting p written as for a
// shell: a leading ~ or ~user (a home directory), which syncd takes as a
// directory named ~, or a leading $NAME, taken as a directory named so;
// "" when p has neither. where says where that directory would be. serve
// used to create ./~/syncd-data and start an empty database there, which
// the commands, run from another directory, never found (and `rm -rf ~`
// to clean it up removes a home directory).
func shellPath(p, where string) string {
	if m := shellVar.FindStringSubmatch(p); m != nil {
		return fmt.Sprintf("syncd expands ${%s}, not $%s (it would be a directory named %s %s): write ${%s}%s, or the absolute path",
			m[1], m[1], m[0], where, m[1], p[len(m[0]):])
	}
	if first, _, _ := strings.Cut(p, "/"); strings.HasPrefix(first, "~") {
		return fmt.Sprintf("syncd does not expand %s as a shell does (it would be a directory named %s %s): write the absolute path",
			first, first, where)
	}
	return ""
}

// shellPaths adds a problem for each directory or file setting written as
// for a shell (shellPath), and reports which settings it named, whose
// other checks (a mapping dir that is not there) would only repeat it.
func (l *loader) shellPaths(cfg *Config) map[string]bool {
	named := map[string]bool{}
	dataDir := "data_dir"
	if l.env("SYNCD_DATA_DIR") != "" {
		dataDir = "SYNCD_DATA_DIR"
	}
	for _, s := range []struct {
		path []string
		name string
		p    string
		set  bool
	}{
		{[]string{"data_dir"}, dataDir, cfg.DataDir, true},
		{[]string{"mapping", "dir"}, "mapping.dir", cfg.Mapping.Dir, true},
		{[]string{"report", "dir"}, "report.dir", cfg.Report.Dir, l.has("report", "dir")}, // else data_dir's
		{[]string{"report", "mail", "ca_file"}, "report.mail.ca_file", cfg.Report.Mail.CAFile, true},
	} {
		if msg := shellPath(s.p, "in the working directory"); msg != "" && s.set {
			l.at(s.path, "%s %s: %s", s.name, s.p, msg)
			named[strings.Join(s.path, ".")] = true
		}
	}
	return named
}

// shellToken says, of a token that starts with a shell's $NAME, that
// syncd does not expand it (tokens: [$SYNCD_EAF_TOKEN] was refused as a
// token too short or of other characters); "" otherwise. The token is not
// echoed.
func shellToken(tok string) string {
	if !shellVar.MatchString(tok) {
		return ""
	}
	return ": it starts with $ and a variable's name, which syncd does not expand: write ${NAME}, in braces"
}

// shellSecret adds a problem at path when the CRM token or the DSN written
// there starts with a shell's $NAME, which syncd sends as it is (the
// CRM refused it, 401, at the first sync; PostgreSQL's driver could not
// read it): neither begins with $ (a password may, and is not judged).
// Said only of a value the file gives: one read from a secret file is
// that file's. The value is not echoed.
func (l *loader) shellSecret(path []string, v string) {
	if !l.has(path...) || !shellVar.MatchString(v) {
		return
	}
	l.at(path, "%s starts with $ and a variable's name, as a shell writes it, which syncd does not expand: write ${NAME}, in braces",
		strings.Join(path, "."))
}
