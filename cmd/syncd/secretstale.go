package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	dto "github.com/prometheus/client_model/go"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/metrics"
)

// A secret file (a sender's token_files, basic_auth.password_file, the
// CRM's token_file, report.mail.password_file, store.dsn_file) written
// under the running daemon is taken by a reload (a restart for those read
// only at start); forgotten, the daemon goes on with the secret it read
// (a CRM token of an account the client left), and status said nothing.
// The daemon keeps, in its memory only, the SHA-256 of each secret it
// read, compares the files with them as it compares the mapping files
// (and at each scrape of /metrics), and exports the path of each found
// changed (syncd_config_secret_file_changed), never the secret, its
// length or its hash: status names them.

// secretFile is a secret file the daemon read: its path as read, the
// setting naming it, dotted as validate names it (sources.lb.token_files
// entry 2), and the SHA-256 of the secret it held (trimmed as
// Load trims it), kept in memory only.
type secretFile struct {
	path, key string
	sum       [32]byte
	restart   bool // read only at start: a reload does not take it
	// copied: read from $CREDENTIALS_DIRECTORY, systemd's copy made as
	// the service started, which only a restart renews
	copied bool
}

// secretsOf is each secret file cfg was loaded from, with the SHA-256 of
// what Load read from it (config.SecretSum): read again here, a file
// written between the two reads was taken for the secret the daemon runs
// on, and never said changed.
func secretsOf(cfg *config.Config, getenv func(string) string) []secretFile {
	var out []secretFile
	add := func(p, key string, restart bool) {
		if p == "" {
			return
		}
		read := config.SecretPath(cfg.File, p, getenv)
		f := secretFile{path: abs(read), key: key, restart: restart,
			copied: !filepath.IsAbs(p) && getenv("CREDENTIALS_DIRECTORY") != ""}
		f.sum, _ = cfg.SecretSum(read) // Load read every secret file it names
		out = append(out, f)
	}
	for _, name := range cfg.SourceNames() {
		src := cfg.Sources[name]
		for i, p := range src.TokenFiles {
			add(p, fmt.Sprintf("sources.%s.token_files entry %d", name, i+1), false)
		}
		add(src.BasicAuth.PasswordFile, "sources."+name+".basic_auth.password_file", false)
	}
	switch cfg.CRM.Kind {
	case "hubspot":
		add(cfg.CRM.HubSpot.TokenFile, "crm.hubspot.token_file", false)
	case "pipedrive":
		add(cfg.CRM.Pipedrive.TokenFile, "crm.pipedrive.token_file", false)
	}
	add(cfg.Report.Mail.PasswordFile, "report.mail.password_file", true)
	if cfg.Store.Kind == config.StorePostgres {
		add(cfg.Store.DSNFile, "store.dsn_file", true)
	}
	return out
}

// secretSum is the SHA-256 of the secret a file's content holds, as Load
// reads it (config.SecretText: the trailing newline trimmed).
func secretSum(raw []byte) [32]byte {
	return sha256.Sum256([]byte(config.SecretText(raw)))
}

// changed says how the file differs from the secret read: "" for not at
// all, "changed", "removed", "empty" or "unreadable" (the last three a
// reload refuses).
func (f secretFile) changed() string {
	raw, err := os.ReadFile(f.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "removed"
	case err != nil:
		return "unreadable"
	case config.SecretText(raw) == "":
		return "empty"
	case secretSum(raw) != f.sum:
		return "changed"
	}
	return ""
}

// secretsChanged is the secret files of l changed since read, as
// /metrics gives them.
func (l loadedFiles) secretsChanged() []metrics.SecretChanged {
	var out []metrics.SecretChanged
	for _, f := range l.secrets {
		if how := f.changed(); how != "" {
			out = append(out, metrics.SecretChanged{Path: f.path, Key: f.key, How: how, Restart: f.restart})
		}
	}
	return out
}

// secretsFrom reads the secret files the daemon found changed from its
// /metrics.
func secretsFrom(fam *dto.MetricFamily) []metrics.SecretChanged {
	var out []metrics.SecretChanged
	for _, m := range fam.GetMetric() {
		out = append(out, metrics.SecretChanged{Path: label(m, "path"), Key: label(m, "setting"), How: label(m, "change"),
			Restart: label(m, "taken_by") == "restart"})
	}
	return out
}

// credentialsChanged is, of the credentials the daemon read from systemd's
// copies (copies: their paths, in $CREDENTIALS_DIRECTORY), those whose
// file beside its configuration file (config) holds another secret: the
// file a LoadCredential= line of the installed units names,
// /etc/syncd/credentials/NAME beside /etc/syncd/syncd.yaml (syncd@NAME:
// credentials/NAME/ beside NAME.yaml), written since the service started.
// One that this user cannot read (status run as another user than root)
// is not compared.
func credentialsChanged(config string, copies []string) []metrics.SecretChanged {
	var out []metrics.SecretChanged
	dir, stem := filepath.Dir(config), strings.TrimSuffix(filepath.Base(config), filepath.Ext(config))
	for _, c := range copies {
		copied, err := os.ReadFile(c)
		if err != nil {
			continue
		}
		name := filepath.Base(c)
		// syncd@NAME's own first: credentials/NAME may be syncd.service's.
		for _, src := range []string{filepath.Join(dir, "credentials", stem, name), filepath.Join(dir, "credentials", name)} {
			raw, err := os.ReadFile(src)
			if err != nil {
				continue
			}
			if secretSum(raw) != secretSum(copied) {
				out = append(out, metrics.SecretChanged{Path: src, Key: name, How: "credential", Restart: true})
			}
			break
		}
	}
	return out
}

// secretsLine is what syncd status says of the secret files changed:
// which, and the reload, or the restart for those read only at start; a
// reload refuses one removed, empty or unreadable. Credentials (How
// "credential") are said apart: only a restart renews systemd's copies.
func secretsLine(changed []metrics.SecretChanged) string {
	var creds []string
	for _, c := range changed {
		if c.How == "credential" {
			creds = append(creds, c.Path)
		}
	}
	credLine := ""
	if len(creds) > 0 {
		credLine = "credentials CHANGED since the service started (" + strings.Join(creds, ", ") + "): the daemon runs on " +
			"the copies systemd made as it started ($CREDENTIALS_DIRECTORY), which a reload does not renew; systemctl restart syncd"
		if len(creds) == len(changed) {
			return credLine
		}
		credLine = "; " + credLine
	}
	return filesSecretsLine(changed) + credLine
}

// filesSecretsLine is secretsLine of the secret files the daemon read
// itself.
func filesSecretsLine(changed []metrics.SecretChanged) string {
	var files, restart []string
	broken := 0 // removed, empty or unreadable: a reload is refused
	for _, c := range changed {
		if c.How == "credential" {
			continue
		}
		name := c.Path
		if c.Key != "" { // the setting first, as every other message names it
			name = c.Key + ": " + c.Path
		}
		if c.How != "changed" {
			name += " (" + c.How + ")"
			broken++
		}
		files = append(files, name)
		if c.Restart {
			restart = append(restart, c.Key)
		}
	}
	line := "secret files CHANGED on disk since the daemon read them (" + strings.Join(files, "; ") +
		"): the daemon still uses the secrets as it read them; "
	switch {
	case broken > 0:
		it := "it"
		if broken > 1 {
			it = "each"
		}
		line += "a reload or restart would be refused: put the secret in " + it + ", readable by the user syncd runs as, " +
			"then systemctl reload syncd"
		if len(restart) > 0 {
			line += " (restart: " + strings.Join(restart, ", ") + " is read only at start)"
		}
	case len(restart) > 0:
		line += "systemctl restart syncd (read only at start: " + strings.Join(restart, ", ") + ")"
	default:
		line += "systemctl reload syncd"
	}
	return line
}
