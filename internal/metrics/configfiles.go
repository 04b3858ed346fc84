package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// NameConfigFileLoaded says which files the daemon loaded, one series of
// value 1 per file: its configuration (kind "config") and each mapping
// file (kind "mapping"), by absolute path, with the start of the SHA-256
// of its content as loaded; syncd status compares them with the files on
// disk. NameConfigStale counts those changed on disk since.
// NameConfigRestartNeeded has a series of value 1 for each setting changed
// since the daemon started and reloaded that only a restart takes.
const (
	NameConfigFileLoaded = "syncd_config_file_loaded_info"
	NameConfigStale      = "syncd_config_stale_files"
	// NameConfigStaleSince is since when they have been changed: the
	// first found changed was written then, or found so then.
	NameConfigStaleSince    = "syncd_config_stale_since_timestamp_seconds"
	NameConfigRestartNeeded = "syncd_config_restart_needed"
	// NameConfigSecretChanged has a series of value 1 for each secret
	// file changed on disk since the daemon read it, by its path alone.
	NameConfigSecretChanged = "syncd_config_secret_file_changed"
)

// SecretChanged is a secret file changed on disk since the daemon read
// it: its Path, the setting (Key) naming it, How ("changed", "removed",
// "empty", "unreadable") and whether only a restart takes it (Restart).
// Never the secret, its length or its hash.
type SecretChanged struct {
	Path, Key, How string
	Restart        bool
}

// LoadedFile is one file the daemon loaded: Kind "config" or "mapping",
// its absolute Path and the start of the hex SHA-256 of its content as
// loaded (Hash); or Kind "credential", a secret file read from systemd's
// copies, with no Hash.
type LoadedFile struct {
	Kind, Path, Hash string
}

// configFilesMetrics makes the series of the files loaded and the gauge
// of those changed on disk since, at 0 until the daemon finds one.
func (m *Metrics) configFilesMetrics() []prometheus.Collector {
	m.configLoaded = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "config_file_loaded_info",
		Help: "Always 1: the configuration file (kind config) and each mapping file (kind mapping) the daemon loaded at " +
			"its start or last reload, with the start of the SHA-256 of its content as loaded, and each secret file it read " +
			"from systemd's copies in $CREDENTIALS_DIRECTORY (kind credential), with no hash.",
	}, []string{"kind", "path", "sha256"})
	m.configStale = gauge("config_stale_files",
		"Configuration and mapping files edited, added or removed on disk since the daemon loaded them (at its start "+
			"or last reload), as it last compared them (every 15 s): leads are mapped with the files as loaded until "+
			"systemctl reload syncd. 0 when they agree.")
	m.configStaleSince = gauge("config_stale_since_timestamp_seconds",
		"Unix time since when configuration or mapping files have been changed on disk and not reloaded (when the "+
			"first found changed was written, or found so); 0 when they agree with those loaded.")
	m.restartNeeded = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "config_restart_needed",
		Help: "1 for each setting (listen, crm.timeout, report.time_zone...: each key as the file writes it) changed since the daemon started and " +
			"reloaded, which it reads only at start: it runs on the setting as it started until systemctl restart syncd. " +
			"No series when none.",
	}, []string{"setting"})
	m.secretChanged = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "config_secret_file_changed",
		Help: "1 for each secret file (a token or password file) changed on disk since the daemon read it, as it last " +
			"compared them: it uses the secret as read until systemctl reload syncd (taken_by restart: systemctl restart " +
			"syncd). No series when none.",
	}, []string{"path", "setting", "change", "taken_by"})
	return []prometheus.Collector{m.configLoaded, m.configStale, m.configStaleSince, m.restartNeeded, m.secretChanged}
}

// ConfigSecretsChanged records the secret files changed on disk since the
// daemon read them, in place of those recorded before.
func (m *Metrics) ConfigSecretsChanged(changed []SecretChanged) {
	if m == nil {
		return
	}
	m.secretChanged.Reset()
	for _, c := range changed {
		by := "reload"
		if c.Restart {
			by = "restart"
		}
		m.secretChanged.WithLabelValues(c.Path, c.Key, c.How, by).Set(1)
	}
}

// RestartNeeded records the settings changed since the daemon started that
// only a restart takes, in place of those recorded before.
func (m *Metrics) RestartNeeded(settings []string) {
	if m == nil {
		return
	}
	m.restartNeeded.Reset()
	for _, s := range settings {
		m.restartNeeded.WithLabelValues(s).Set(1)
	}
}

// ConfigFilesLoaded records the files the daemon loaded, in place of
// those it loaded before.
func (m *Metrics) ConfigFilesLoaded(files []LoadedFile) {
	if m == nil {
		return
	}
	m.configLoaded.Reset()
	for _, f := range files {
		m.configLoaded.WithLabelValues(f.Kind, f.Path, f.Hash).Set(1)
	}
}

// ConfigStale records how many of the files loaded were changed on disk
// since (edited, added or removed), and since when (zero: none).
func (m *Metrics) ConfigStale(files int, since time.Time) {
	if m == nil {
		return
	}
	m.configStale.Set(float64(files))
	if since.IsZero() {
		m.configStaleSince.Set(0)
		return
	}
	m.configStaleSince.Set(unixSeconds(since))
}
