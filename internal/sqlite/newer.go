package sqlite

import "fmt"

// NewerSchemaError refuses a database whose schema a newer syncd migrated
// past this binary's (the package was rolled back, or an older binary was
// started on it): this binary neither reads nor changes it.
type NewerSchemaError struct {
	Schema int // the database's schema
	Known  int // the newest schema this binary knows
}

// Error says what happened and the two ways on: the newer syncd again, or
// the backup taken before the upgrade under this one.
func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("database schema %d is newer than this binary's %d: a newer syncd migrated it, and this "+
		"syncd leaves it as it is: install that newer syncd again, or, to run this one, restore the backup "+
		"taken before the upgrade", e.Schema, e.Known)
}
