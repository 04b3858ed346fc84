package config

import (
	"fmt"
	"slices"
	"strings"
)

// systemdSets are the variables systemd gives every service itself (or the
// syncd units do): a default written for one of them is not the shell's
// trap shellVar warns of.
var systemdSets = map[string]bool{
	"HOME": true, "USER": true, "LOGNAME": true, "SHELL": true, "PATH": true, "LANG": true,
	"INVOCATION_ID": true, "CREDENTIALS_DIRECTORY": true, "STATE_DIRECTORY": true,
	"CONFIGURATION_DIRECTORY": true, "RUNTIME_DIRECTORY": true, "CACHE_DIRECTORY": true,
	"LOGS_DIRECTORY": true, "SYNCD_DATA_DIR": true, "NOTIFY_SOCKET": true, "WATCHDOG_USEC": true,
}

// serviceView reports whether this is syncd validate checking the
// configuration as the service will see it, from a shell: the install
// guide's validate gives it the service's $CREDENTIALS_DIRECTORY, and
// systemd, which gives every service $INVOCATION_ID, does not run it.
func (l *loader) serviceView() bool {
	return l.check && l.env("CREDENTIALS_DIRECTORY") != "" && l.env("INVOCATION_ID") == ""
}

// shellVar warns, in the service's view, of the variable name, which a
// ${name:-def} at line took from this shell: the service has only its
// unit's environment, where name is not set unless the operator set it
// there, and so takes def, silently (the example's placeholder token: the
// sender's real one is answered 401). The value is never said, nor a
// default that is not a placeholder: either may be a secret.
func (l *loader) shellVar(line int, name, def string) {
	if !l.serviceView() || systemdSets[name] || l.shellVars[name] {
		return
	}
	if l.shellVars == nil {
		l.shellVars = map[string]bool{}
	}
	l.shellVars[name] = true
	said := "the default written there"
	if def == "" || strings.Contains(strings.ToLower(def), "change-me") { // not a secret of one's own
		said = fmt.Sprintf("%q", def)
	}
	l.warnings = append(l.warnings, Problem{File: l.file, Line: line, Msg: fmt.Sprintf(
		"%s is set in this shell, not in the service's environment, which is only what its unit gives: unless "+
			"the unit sets it too, the service takes %s: %s", name, said, l.giveTheUnit(line, name))})
}

// giveTheUnit says how the service gets the value of the variable name,
// read at line: a setting in its unit's environment (Environment=), or,
// for a secret (a token, a password, a DSN), a file it names, loaded with
// LoadCredential=. A unit's Environment= is no place for a secret: systemd
// shows it to every local user (systemctl show -p Environment), and
// systemctl edit writes its drop-in readable by all. The words said
// Environment= first, and the README sent the webhook tokens there.
func (l *loader) giveTheUnit(line int, name string) string {
	if !l.secretAt(line, name) {
		return "set it with systemctl edit ([Service] Environment=" + name + "=...); then restart"
	}
	return "it is a secret: name a file instead (token_files:, token_file:, password_file:, dsn_file:) and load it " +
		"with LoadCredential= (systemctl edit), then restart; not with Environment=, which every local user can read " +
		"(systemctl show -p Environment)"
}

// secretAt reports whether the value at line is a secret's (a source's
// token or password, a CRM's token, the mail password, the DSN), or,
// where the document is not parsed yet, name is one a secret's variable
// would have.
func (l *loader) secretAt(line int, name string) bool {
	p := l.pathAt(line, "")
	switch {
	case len(p) >= 3 && p[0] == "sources" && p[2] == "tokens",
		len(p) == 4 && p[0] == "sources" && p[2] == "basic_auth" && p[3] == "password",
		slices.Equal(p, []string{"crm", "hubspot", "token"}), slices.Equal(p, []string{"crm", "pipedrive", "token"}),
		slices.Equal(p, []string{"report", "mail", "password"}), slices.Equal(p, []string{"store", "dsn"}):
		return true
	case p != nil:
		return false
	}
	u := strings.ToUpper(name)
	return strings.Contains(u, "TOKEN") || strings.Contains(u, "PASS") || strings.Contains(u, "SECRET") || strings.Contains(u, "DSN")
}

// shellListen warns, in the service's view, of SYNCD_LISTEN (value v) set
// in this shell: the unit does not set it, so the service listens where
// listen says, not where validate checked.
func (l *loader) shellListen(v string) {
	if !l.serviceView() {
		return
	}
	l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line([]string{"listen"}), Msg: fmt.Sprintf(
		"SYNCD_LISTEN=%s is set in this shell, not in the service's environment, which is only what its unit "+
			"gives (it sets SYNCD_DATA_DIR alone): the service listens where listen says: write the address there, "+
			"or set it with systemctl edit ([Service] Environment=SYNCD_LISTEN=%s); then restart", v, v)})
}
