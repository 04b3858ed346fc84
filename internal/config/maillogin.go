package config

import "fmt"

// validateMailLogin: a login needs both a username and a password. One
// without a password was tried with an empty one at the first mail, and
// refused by the server; a password without a username was not used at
// all (no username: no login), where the server then refused the mail.
// Both were checked only with to: set, and a section waiting for its
// recipients failed the day they were added: a username is checked
// always, a password (password: or password_file:) whenever the section
// names a server (host:) or recipients. A password_file alone in a
// section naming no server logs in nowhere and is no problem: it is a
// password, read as the others are.
func (l *loader) validateMailLogin(m Mail) {
	switch {
	case m.Username != "" && m.Password == "" && !l.secretFailed("report", "mail", "password_file"):
		l.at([]string{"report", "mail", "username"}, "report.mail.username %s has no password: add password_file: (or password:) "+
			"for the login, or remove username if the server takes mail without one", m.Username)
	case m.Username == "" && m.Password != "" && (m.Host != "" || len(m.To) > 0):
		key := "password"
		if m.PasswordFile != "" {
			key = "password_file"
		}
		l.at([]string{"report", "mail", key}, "report.mail.%s without report.mail.username is not used (no username: no login): "+
			"add username: with the login's name, or remove %s", key, key)
	}
}

// noRecipients warns of a report.mail section that sets up a server (host)
// but names no recipient: no report is mailed, which nothing said, and
// validate -mail had no one to send its test message to.
func (l *loader) noRecipients(m Mail) {
	path := []string{"report", "mail", "host"}
	if m.Host == "" || l.doubtful(path) {
		return
	}
	l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line(path), Msg: fmt.Sprintf(
		"report.mail.host %s is set but report.mail.to names no recipient, so no report is mailed: add to: [ADDRESS], "+
			"or remove the mail section", shownHost(m.Host))})
}
