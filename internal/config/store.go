package config

import "fmt"

// Store kinds.
const (
	StoreSQLite   = "sqlite"   // the default: one file under data_dir, nothing else to run
	StorePostgres = "postgres" // several instances on one PostgreSQL database
)

// Store selects where events, the outbox and reports live.
type Store struct {
	Kind    string `yaml:"kind"`     // sqlite (default) or postgres
	DSN     string `yaml:"dsn"`      // postgres: connection string, e.g. ${SYNCD_POSTGRES_DSN}; with kind: postgres only
	DSNFile string `yaml:"dsn_file"` // postgres: file holding the connection string (a secret)
}

// storeDefaults fills the store kind.
func (l *loader) storeDefaults(cfg *Config) { setDefault(&cfg.Store.Kind, StoreSQLite) }

// storeSecret reads the DSN from its file.
func (l *loader) storeSecret(cfg *Config) {
	if f := cfg.Store.DSNFile; f != "" && cfg.Store.Kind == StorePostgres {
		cfg.Store.DSN = l.readNeeded([]string{"store", "dsn_file"}, f)
	}
}

// validateStore checks the store's kind and that postgres has a DSN. A
// dsn_file that is empty or cannot be read was said so by storeSecret:
// that alone is the problem.
func (l *loader) validateStore(cfg *Config) {
	switch s := cfg.Store; s.Kind {
	case StoreSQLite:
		l.unusedDSN(s)
	case StorePostgres:
		if s.DSN == "" && s.DSNFile == "" {
			l.at([]string{"store", "dsn"}, "store.kind postgres needs store.dsn or store.dsn_file")
		}
		l.shellSecret([]string{"store", "dsn"}, s.DSN)
	default:
		l.at([]string{"store", "kind"}, "store.kind %q is not sqlite or postgres%s", s.Kind, meant(s.Kind, StoreSQLite, StorePostgres))
	}
}

// unusedDSN says of a dsn or dsn_file given with the SQLite store that it
// is not used: one given without kind (which defaults to sqlite) is a
// problem, since it was meant for PostgreSQL, and each instance set up so
// kept its own SQLite database, silently; one beside kind: sqlite written
// out is a warning.
func (l *loader) unusedDSN(s Store) {
	key := "dsn"
	if s.DSN == "" {
		key = "dsn_file"
	}
	if s.DSN == "" && s.DSNFile == "" {
		return
	}
	path := []string{"store", key}
	if !l.has("store", "kind") {
		l.at(path, "store.%s is for PostgreSQL, but store.kind is sqlite (the default): add kind: postgres under store: "+
			"(then, before serve, syncd migrate-store -to postgres copies what the SQLite database in data_dir holds), "+
			"or remove %s to keep the SQLite database", key, key)
		return
	}
	l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line(path), Msg: fmt.Sprintf(
		"store.%s is not used: store.kind is sqlite, whose database is in data_dir: remove %s, or write kind: postgres", key, key)})
}
