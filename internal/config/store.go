package config

// Store kinds.
const (
	StoreSQLite   = "sqlite"   // the default: one file under data_dir, nothing else to run
	StorePostgres = "postgres" // several instances on one PostgreSQL database
)

// Store selects where events, the outbox and reports live.
type Store struct {
	Kind    string `yaml:"kind"`     // sqlite (default) or postgres
	DSN     string `yaml:"dsn"`      // postgres: connection string, e.g. ${SYNCD_POSTGRES_DSN}
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
	case StorePostgres:
		if s.DSN == "" && s.DSNFile == "" {
			l.at([]string{"store", "dsn"}, "store kind postgres needs dsn or dsn_file")
		}
	default:
		l.at([]string{"store", "kind"}, "store kind %q is not sqlite or postgres", s.Kind)
	}
}
