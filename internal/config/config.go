// Package config reads syncd's YAML configuration: strict decoding (an
// unknown key is an error naming file, line and key), ${ENV} expansion,
// secrets read from files or systemd credentials, defaults for everything
// optional, and validation that lists every problem at once.
package config

import (
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is the whole configuration of the daemon.
type Config struct {
	// Agency names the agency this file is for, e.g. "Nordhavn Erhverv":
	// the report's mail (subject, greeting, text and HTML) and workbook
	// (Summary title, printed pages' header) and syncd status's heading
	// name it, so that the reports of several agencies on one server
	// (syncd@NAME) tell apart. One line of printable characters, at most
	// 60; "" (default) names none. A reload takes a new name: the
	// daemon's reports from its next run on name it.
	Agency    string            `yaml:"agency"`
	Listen    string            `yaml:"listen"`   // address of the webhook listener (default 127.0.0.1:8080); env SYNCD_LISTEN overrides
	DataDir   string            `yaml:"data_dir"` // SQLite database and reports live here (default ./data, relative to the working directory), on a disk of this host: serve refuses a network file system (NFS, SMB) and warns of one in memory (tmpfs: lost at reboot); env SYNCD_DATA_DIR overrides
	Log       Log               `yaml:"log"`
	HTTP      HTTP              `yaml:"http"`
	Intake    Intake            `yaml:"intake"`
	Sources   map[string]Source `yaml:"sources"`
	Mapping   Mapping           `yaml:"mapping"`
	CRM       CRM               `yaml:"crm"`
	Sync      Sync              `yaml:"sync"`
	Report    Report            `yaml:"report"`
	Retention Retention         `yaml:"retention"`
	Metrics   Metrics           `yaml:"metrics"`
	Store     Store             `yaml:"store"` // sqlite (default) or postgres

	// File is the path the configuration was read from, and Hash the
	// hex SHA-256 of its content as read: a daemon keeps it to tell the
	// file edited since it loaded it.
	File string `yaml:"-"`
	Hash string `yaml:"-"`
	// Warnings are what Load noticed that does not stop syncd: secrets
	// that every local user can read, in the file or in secret files.
	Warnings []Problem `yaml:"-"`
	// OtherCRMMappings is, of Warnings, the one that mapping.dir names the
	// mapping folder of the CRM crm.kind does not name: the commands that
	// fail on the mapping files say it beside their problems.
	OtherCRMMappings *Problem `yaml:"-"`
	// FileDataDir is the data_dir the file gives where SYNCD_DATA_DIR
	// overrides it with another directory (a warning of Warnings), ""
	// otherwise: every command then reads another database than the file
	// names, which the commands run from a shell say.
	FileDataDir string `yaml:"-"`

	unsettled  [][]string          // key paths with a problem, or not read as written (Settled)
	root       *yaml.Node          // the document as read, for KeyLine
	secretSums map[string][32]byte // of each secret file read, by path: never the secret (SecretSum)
}

// Log configures logging.
type Log struct {
	Level    string `yaml:"level"`    // debug, info, warn, error (default info)
	Journald bool   `yaml:"journald"` // send entries to journald with each field a journal field, instead of JSON lines on stdout
}

// HTTP configures the webhook listener's limits.
type HTTP struct {
	MaxBodyBytes      int64         `yaml:"max_body_bytes"`      // default 1 MiB; 1024 to 64 MiB (a body past the 1 GB the database takes in one value failed its commit, and every delivery committed with it)
	MaxHeaderBytes    int           `yaml:"max_header_bytes"`    // default 16 KiB
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout"` // default 5s
	ReadTimeout       time.Duration `yaml:"read_timeout"`        // default 30s
	WriteTimeout      time.Duration `yaml:"write_timeout"`       // default 30s
	IdleTimeout       time.Duration `yaml:"idle_timeout"`        // default 2m
	TrustedProxies    []string      `yaml:"trusted_proxies"`     // CIDRs whose X-Forwarded-For is believed
	// MaxConnections caps the connections open at once on the webhook
	// listener (default 512, at least 16), so the daemon keeps file descriptors for its
	// database: past it, a new connection takes the place of the oldest one
	// that is not in a request and is silent (idle between requests, or
	// open 100 ms with nothing received, or a second without its headers,
	// and nothing waiting to be read: a sender's request just arrived is
	// never closed for it), and waits only
	// while none is (each logged, at most once per 10 s: info when one was
	// closed, warn when all are in requests).
	MaxConnections int `yaml:"max_connections"`
}

// Intake configures how deliveries are stored.
type Intake struct {
	DedupWindow time.Duration `yaml:"dedup_window"` // a delivery whose key was seen this recently is a duplicate (default 14 days, written 336h: a duration has no unit for days)
	MaxBatch    int           `yaml:"max_batch"`    // deliveries per group commit (default 512)
	// MaxDepth is the deepest nesting of arrays and objects a body may
	// have; deeper ones are quarantined unparsed (default 256, 8 to
	// 10000).
	MaxDepth int `yaml:"max_depth"`
	// AnswerWithin is the most a delivery waits for its commit: past it
	// the sender gets 503 with Retry-After (default 10s).
	AnswerWithin time.Duration `yaml:"answer_within"`
}

// Source is one configured sender, reached at POST /hooks/{name}/{token}.
type Source struct {
	Kind           string    `yaml:"kind"`            // lokalebasen or eaf
	Tokens         []string  `yaml:"tokens"`          // every token valid now (several during rotation); none shared with another source
	TokenFiles     []string  `yaml:"token_files"`     // files holding one token each
	BasicAuth      BasicAuth `yaml:"basic_auth"`      // optional
	AllowIPs       []string  `yaml:"allow_ips"`       // optional CIDR allowlist
	DefaultCountry string    `yaml:"default_country"` // phone region for mapping (default DK for lokalebasen, GB for eaf); sources of one kind share it
}

// BasicAuth is optional HTTP Basic authentication for a source.
type BasicAuth struct {
	Username     string `yaml:"username"`
	Password     string `yaml:"password"`      // or password_file
	PasswordFile string `yaml:"password_file"` // file holding the password (a secret)
}

// Mapping selects the mapping files.
type Mapping struct {
	Dir string `yaml:"dir"` // default mappings/<crm kind>, mappings/hubspot for dryrun
}

// CRM selects and configures the CRM adapter.
type CRM struct {
	Kind      string        `yaml:"kind"`    // dryrun (default: records what it would send, sends nothing; a warning when a CRM's token is set), hubspot or pipedrive
	Timeout   time.Duration `yaml:"timeout"` // per request (default 30s)
	HubSpot   HubSpot       `yaml:"hubspot"`
	Pipedrive Pipedrive     `yaml:"pipedrive"`
}

// HubSpot configures the HubSpot adapter.
type HubSpot struct {
	BaseURL   string `yaml:"base_url"`   // default https://api.hubapi.com; https:// (http:// only to a stand-in CRM on this host)
	Token     string `yaml:"token"`      // private app access token, or token_file
	TokenFile string `yaml:"token_file"` // file holding the token (a secret)
	// HubID pins the HubSpot account (its hub id, which `syncd crm check`
	// prints) the token must belong to: a token of another account writes
	// nothing (crm check fails; the daemon pauses sending, leads wait in
	// the outbox). "" (default) pins none.
	HubID          string `yaml:"hub_id"`
	LeadIDProperty string `yaml:"lead_id_property"` // unique deal property (default syncd_lead_id)
	// ContactKeyProperty is a unique contact property for contacts known
	// only by phone; "" searches then creates them (guarded against repeats).
	ContactKeyProperty string        `yaml:"contact_key_property"`
	Requests           int           `yaml:"requests"` // client-side limit: requests per window (default 100)
	Window             time.Duration `yaml:"window"`   // default 10s
	// ContactURL links contacts' CRM ids in reports; {id} is replaced,
	// e.g. https://app.hubspot.com/contacts/PORTAL/record/0-1/{id}, PORTAL
	// being the account's hub id (syncd crm check prints it).
	ContactURL string `yaml:"contact_url"`
	DealURL    string `yaml:"deal_url"` // e.g. https://app.hubspot.com/contacts/PORTAL/record/0-3/{id}
}

// Pipedrive configures the Pipedrive adapter.
type Pipedrive struct {
	BaseURL   string `yaml:"base_url"`   // https://{company}.pipedrive.com/api/v2 (http:// only to a stand-in CRM on this host)
	Token     string `yaml:"token"`      // API token, or token_file
	TokenFile string `yaml:"token_file"` // file holding the token (a secret)
	// CompanyID pins the Pipedrive company (its id, which `syncd crm
	// check` prints) the token must belong to: a token of another company
	// writes nothing (crm check fails; the daemon pauses sending, leads wait
	// in the outbox). "" (default) pins none.
	CompanyID   string        `yaml:"company_id"`
	LeadIDField string        `yaml:"lead_id_field"` // the deal custom field holding the lead id, by name or key (default "syncd lead id")
	Requests    int           `yaml:"requests"`      // default 20
	Window      time.Duration `yaml:"window"`        // default 2s
	// SettleTime is how long Pipedrive's search and lists may take to show
	// a new record: an unconfirmed create is looked for again, and only
	// then possibly repeated, this long after it was sent (default 1m).
	SettleTime time.Duration `yaml:"settle_time"`
	ContactURL string        `yaml:"contact_url"` // e.g. https://COMPANY.pipedrive.com/person/{id}
	DealURL    string        `yaml:"deal_url"`    // e.g. https://COMPANY.pipedrive.com/deal/{id}
}

// Sync configures the outbox syncer.
type Sync struct {
	Schedule      string        `yaml:"schedule"`        // cron spec, its times in report.time_zone unless it starts with CRON_TZ=ZONE and a space (default "@every 1m")
	PromptDelay   time.Duration `yaml:"prompt_delay"`    // run this soon after new operations; 0s disables (default 5s)
	MaxAttempts   int           `yaml:"max_attempts"`    // failed attempts of a record, then dead-letter (default 10); a CRM not answering or unavailable (429, 502-504) uses none
	Lease         time.Duration `yaml:"lease"`           // claim lease (default 5m); a CRM call may take half of it
	BatchSize     int           `yaml:"batch_size"`      // records per claim (default 100); a contact's pending updates, claimed together, count once
	RetryAfterCap time.Duration `yaml:"retry_after_cap"` // longest Retry-After waited in-call (default 30s)
	// ProbeEvery is the least time between two runs of the account check
	// that tells one batch the CRM never takes (a 504 to that batch while
	// the CRM answers others) from the CRM down, while the CRM keeps
	// failing as when the check last failed (default 10m, 30s to 1h).
	// Shorter: after an outage, a batch the CRM never takes holds up the
	// leads behind it for less time (up to probe_every and a try); longer:
	// fewer requests in an outage (the check is a few reads).
	ProbeEvery time.Duration `yaml:"probe_every"`
}

// Report configures the daily workbook.
type Report struct {
	Schedule string `yaml:"schedule"`  // cron spec, its times in report.time_zone unless it starts with CRON_TZ=ZONE and a space ("CRON_TZ=UTC 0 5 * * *"): the report's day is report.time_zone's all the same; a time the clocks skip runs as they jump, one they repeat once (default "0 6 * * *")
	TimeZone string `yaml:"time_zone"` // the report's day and times, and its reader's country: names in its alphabetical order, numbers in the mail as it writes them (2.009 in Copenhagen) (default Europe/Copenhagen)
	Dir      string `yaml:"dir"`       // default <data_dir>/reports
	KeepDays int    `yaml:"keep_days"` // default 90
	// CatchUpDays bounds how far back missed reports are made at start (default 7): older days missed are named in the log, for syncd report -date.
	CatchUpDays int  `yaml:"catch_up_days"`
	Mail        Mail `yaml:"mail"`
}

// Mail configures report mail; no recipients means no mail.
type Mail struct {
	Host         string   `yaml:"host"`          // SMTP server: its name or address alone, an IPv6 address without brackets (::1)
	Port         int      `yaml:"port"`          // default 587 (465 with tls: tls); 465 needs tls: tls, which 587 and 25 refuse
	TLS          string   `yaml:"tls"`           // starttls (default, mandatory), opportunistic (STARTTLS when offered: for a relay on this host), tls (implicit) or none (plain text: for a relay on this host)
	CAFile       string   `yaml:"ca_file"`       // PEM certificates to trust for the server besides the system's: a private CA, a self-signed certificate
	Username     string   `yaml:"username"`      // SMTP login, with password or password_file; none: no authentication
	Password     string   `yaml:"password"`      // or password_file
	PasswordFile string   `yaml:"password_file"` // file holding the password (a secret)
	From         string   `yaml:"from"`          // sender address, e.g. "Leads report <reports@example.com>"
	To           []string `yaml:"to"`            // recipients; none: no mail
}

// Metrics configures the Prometheus endpoint.
type Metrics struct {
	Listen string `yaml:"listen"` // separate listener; "" serves /metrics on the main listener
}
