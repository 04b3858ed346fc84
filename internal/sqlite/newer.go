package sqlite

import "fmt"

// NewerSchemaError refuses a database whose schema a newer syncd migrated
// past this binary's (the package was rolled back, or an older binary was
// started on it): this binary neither reads nor changes it.
type NewerSchemaError struct {
	Schema int // the database's schema
	Known  int // the newest schema this binary knows
	// Copy is the copy the upgrade took beside the database
	// (UpgradeCopy), of a schema this binary opens; "" when none is there.
	Copy string
}

// Error says what happened and the two ways on: the newer syncd again, or
// the copy or backup taken before the upgrade under this one.
func (e *NewerSchemaError) Error() string {
	back := "restore the backup taken before the upgrade"
	if e.Copy != "" {
		back = "restore " + e.Copy + ", the copy the upgrade took, as a backup is restored"
	}
	return fmt.Sprintf("database schema %d is newer than this binary's %d: a newer syncd migrated it, and this "+
		"syncd leaves it as it is: install that newer syncd again, or, to run this one, %s", e.Schema, e.Known, back)
}

// newerSchema refuses the database at path, of schema schema, newer than
// known, naming the copy its upgrade took beside it where there is one
// this binary opens (the newest).
func newerSchema(path string, schema, known int) *NewerSchemaError {
	e := &NewerSchemaError{Schema: schema, Known: known}
	for _, c := range UpgradeCopiesBeside(path) {
		if c.Schema <= known {
			e.Copy = c.Path
			break
		}
	}
	return e
}

// OlderSchemaError refuses to read a database of an older schema
// read-only: only a writer migrates it (serve, or a command that writes).
// syncd validate says, of it, what the next serve does.
type OlderSchemaError struct {
	Schema int // the database's schema
	Known  int // the newest schema this binary knows
}

// Error says why it is not read and the ways to read it.
func (e *OlderSchemaError) Error() string {
	return fmt.Sprintf("database schema %d is older than this binary's %d, and a read-only database cannot be migrated: "+
		"read it with the syncd version that wrote it, or copy it to a disk syncd can write", e.Schema, e.Known)
}
