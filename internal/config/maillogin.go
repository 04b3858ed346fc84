package config

// validateMailLogin: a login needs both a username and a password. One
// without a password was tried with an empty one at the first mail, and
// refused by the server; a password without a username was not used at
// all (no username: no login), where the server then refused the mail.
func (l *loader) validateMailLogin(m Mail) {
	switch {
	case m.Username != "" && m.Password == "" && !l.secretFailed("report", "mail", "password_file"):
		l.at([]string{"report", "mail", "username"}, "report mail: username %s has no password: add password_file: (or password:) "+
			"for the login, or remove username if the server takes mail without one", m.Username)
	case m.Username == "" && m.Password != "":
		key := "password"
		if m.PasswordFile != "" {
			key = "password_file"
		}
		l.at([]string{"report", "mail", key}, "report mail: a %s without username is not used (no username: no login): "+
			"add username: with the login's name, or remove %s", key, key)
	}
}
