package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/metrics"
)

// An operator who edits a mapping file or the configuration and forgets
// systemctl reload syncd believes the fix is live while the daemon maps
// every lead with the files as it loaded them. The daemon keeps what it
// loaded (each file's hash, as an operation's mapping_hash), exports it,
// and every staleCheck compares it with the files on disk, for a gauge and
// the systemd status line; syncd status compares at once and says whether
// the files on disk would load.

// staleCheck is how often the daemon hashes its configuration and mapping
// files again: a few small files.
const staleCheck = 15 * time.Second

// loadedFiles is what a daemon loaded: its configuration file and its
// mapping files, each with the hash of its content as read, shortened
// (shortHash) as /metrics gives it.
type loadedFiles struct {
	config, configHash string // an absolute path
	mapDir             string // absolute
	maps               []mapping.File
	secrets            []secretFile // the daemon's only: /metrics never has them
	// copies are the secret files read from $CREDENTIALS_DIRECTORY, by
	// path (in /metrics, kind credential, with no hash), for status to
	// compare with the files systemd copied them from.
	copies []string
}

// loadedOf is what the daemon loaded from file (cfg) and the mappings
// rules made from it, each mapping file named as mapping.Fingerprint of
// the absolute folder names it ("mappings/." loads "./eaf.yaml", which
// the folder's absolute path names "mappings/eaf.yaml").
func loadedOf(file string, cfg *config.Config, rules *mapping.Rules) loadedFiles {
	l := loadedFiles{config: abs(file), configHash: shortHash(cfg.Hash), mapDir: abs(cfg.Mapping.Dir),
		secrets: secretsOf(cfg, os.Getenv)}
	for _, f := range rules.Files() {
		_, base, _ := strings.Cut(f.Name, "/") // mapping.Load names it "<base of dir>/<file>"
		l.maps = append(l.maps, mapping.File{Name: filepath.Base(l.mapDir) + "/" + base, Hash: shortHash(f.Hash)})
	}
	return l
}

// metrics is l as syncd_config_file_loaded_info gives it.
func (l loadedFiles) metrics() []metrics.LoadedFile {
	out := []metrics.LoadedFile{{Kind: "config", Path: l.config, Hash: l.configHash}}
	for _, f := range l.maps {
		_, base, _ := strings.Cut(f.Name, "/") // mapping.Load names it "<base of dir>/<file>"
		out = append(out, metrics.LoadedFile{Kind: "mapping", Path: filepath.Join(l.mapDir, base), Hash: f.Hash})
	}
	for _, f := range l.secrets {
		if f.copied {
			out = append(out, metrics.LoadedFile{Kind: "credential", Path: f.path}) // never a hash of a secret
		}
	}
	return out
}

// loadedFrom reads what the daemon loaded from its /metrics; ok is false
// for a daemon that does not say (a syncd before this one).
func loadedFrom(fam *dto.MetricFamily) (l loadedFiles, ok bool) {
	for _, m := range fam.GetMetric() {
		path, hash := label(m, "path"), label(m, "sha256")
		switch label(m, "kind") {
		case "config":
			l.config, l.configHash = path, hash
		case "mapping":
			l.mapDir = filepath.Dir(path)
			l.maps = append(l.maps, mapping.File{Name: filepath.Base(l.mapDir) + "/" + filepath.Base(path), Hash: hash})
		case "credential":
			l.copies = append(l.copies, path)
		}
	}
	return l, l.config != "" && l.mapDir != ""
}

// staleFiles is what changed on disk since the daemon loaded its files.
type staleFiles struct {
	config bool     // the configuration file was edited (or removed)
	files  []string // each changed: the configuration by its path, a mapping file as Load names it
	// edited is when the earliest written of the mapping files changed
	// or added was written (zero: none is on disk): leads received since
	// were mapped with the files as loaded.
	edited time.Time
	// secrets are the secret files changed since the daemon read them:
	// its own comparison, which status takes from /metrics.
	secrets []metrics.SecretChanged
	// mappingsAlone: of the files that would not load, the mappings
	// alone do not, on which serve starts holding its mapping.
	mappingsAlone bool
}

// changedOnDisk compares l with the files on disk now: a mapping file
// added or removed is named with "(new)" or "(removed)" after it; an
// editor's backup or swap file, which the loader skips, is no change. err
// is of a file or folder that cannot be read (not of one removed).
func (l loadedFiles) changedOnDisk() (staleFiles, error) {
	var s staleFiles
	raw, err := os.ReadFile(l.config)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.config, s.files = true, append(s.files, l.config+" (removed)")
	case err != nil:
		return s, fmt.Errorf("read %s: %w", l.config, err)
	case hashOfFile(raw) != l.configHash:
		s.config, s.files = true, append(s.files, l.config)
	}
	disk, err := mapping.Fingerprint(l.mapDir)
	if errors.Is(err, fs.ErrNotExist) {
		err = nil // the folder removed: each file is
	}
	if err != nil {
		return s, err
	}
	was := map[string]string{}
	for _, f := range l.maps {
		was[f.Name] = f.Hash
	}
	for _, f := range disk {
		switch h, ok := was[f.Name]; {
		case !ok:
			s.files = append(s.files, f.Name+" (new)")
			s.editedAt(l.mapDir, f.Name)
		case h != shortHash(f.Hash):
			s.files = append(s.files, f.Name)
			s.editedAt(l.mapDir, f.Name)
		}
		delete(was, f.Name)
	}
	for _, name := range slices.Sorted(maps.Keys(was)) {
		s.files = append(s.files, name+" (removed)")
	}
	s.secrets = l.secretsChanged()
	return s, nil
}

// count is how many files changed, secret files included.
func (s staleFiles) count() int { return len(s.files) + len(s.secrets) }

// editedAt takes the time the mapping file name (as Load names it) of dir
// was written into s.edited, if earlier.
func (s *staleFiles) editedAt(dir, name string) {
	_, base, _ := strings.Cut(name, "/")
	st, err := os.Stat(filepath.Join(dir, base))
	if err == nil && (s.edited.IsZero() || st.ModTime().Before(s.edited)) {
		s.edited = st.ModTime()
	}
}

// hashOfFile is the shortened hex SHA-256 of a file's content, as
// loadedFiles keeps it.
func hashOfFile(raw []byte) string {
	sum := sha256.Sum256(raw)
	return shortHash(hex.EncodeToString(sum[:]))
}

// what names what changed: "configuration", "mappings" or both, with the
// pronoun of it.
func (s staleFiles) what() (noun, them string) {
	if len(s.files) == 0 && len(s.secrets) > 0 {
		return "secret files", "them"
	}
	switch mappings := len(s.files) > 0 && !(s.config && len(s.files) == 1); {
	case s.config && mappings:
		return "configuration and mappings", "them"
	case s.config:
		return "configuration", "it"
	}
	return "mappings", "them"
}

// line is what syncd status says of s: which files changed and the
// reload, or, when they would not load as they are (wontLoad, the first
// problem), that a reload would be rejected; and, of mapping files
// changed since a time (since, in clk's zone; zero: not known), the
// replay that shows what the leads received since would become.
func (s staleFiles) line(wontLoad string, since time.Time, clk clock) string {
	if len(s.files) == 0 {
		return secretsLine(s.secrets)
	}
	line := s.filesLine(wontLoad, since, clk)
	if len(s.secrets) > 0 {
		line += "; " + secretsLine(s.secrets)
	}
	return line
}

// filesLine is line of the configuration and mapping files.
func (s staleFiles) filesLine(wontLoad string, since time.Time, clk clock) string {
	noun, them := s.what()
	files := strings.Join(s.files, ", ")
	if noun == "configuration" {
		since = time.Time{} // no lead was mapped otherwise
	}
	if !since.IsZero() {
		files += "; changed since " + clk.show(since)
	}
	line := fmt.Sprintf("%s CHANGED on disk since the daemon loaded %s (%s)", noun, them, files)
	if wontLoad != "" {
		// A restart, which a newcomer tries when told a reload would be
		// rejected, the next boot or systemd's restart after a failure:
		// serve refuses to start on a configuration that does not load,
		// and holds its mapping on mappings that do not (mappinghold.go).
		restart := "a restart would not start the daemon (nor would the next boot, or systemd restarting it after a " +
			"failure): no lead would be taken until " + theyOrIt(them) + " " + loadVerb(them)
		if s.mappingsAlone {
			restart = "a restart would hold the mapping (so would the next boot, or systemd restarting it after a " +
				"failure): leads would be stored but none mapped or sent to the CRM until " + theyOrIt(them) + " " + loadVerb(them)
		}
		line += ", and " + theyOrIt(them) + " would NOT LOAD as " + theyAre(them) + " (" + wontLoad +
			"; syncd validate lists every problem): a reload would be rejected, and " + restart + "; fix " + them +
			", then systemctl reload syncd"
	} else {
		still := "the daemon still runs on the files as loaded"
		if noun == "mappings" {
			still = "leads are still mapped with the files as loaded"
		}
		line += ": " + still + "; systemctl reload syncd (syncd validate checks " + them + " first)"
	}
	if !since.IsZero() {
		line += "; the leads received since were mapped with the files as loaded: once reloaded, syncd replay -since " +
			since.In(clk.loc).Format(time.RFC3339) + " -dry-run shows what mapping them again would change"
	}
	return line
}

func theyOrIt(them string) string {
	if them == "it" {
		return "it"
	}
	return "they"
}

// loadVerb is the verb "load" agreeing with them.
func loadVerb(them string) string {
	if them == "it" {
		return "loads"
	}
	return "load"
}

func theyAre(them string) string {
	if them == "it" {
		return "it is"
	}
	return "they are"
}

// staleOf puts into s what changed on disk of the files the daemon that
// s was scraped from loaded, and whether they would load: nothing for a
// daemon that does not say what it loaded.
func (c *cli) staleOf(s *Snapshot, clk clock) {
	if s.loaded == nil {
		return
	}
	st, err := s.loaded.changedOnDisk()
	// The daemon's finding (status may not read them), and systemd's
	// copies compared with their files, which the daemon may not read.
	st.secrets = append(s.secretsChanged, credentialsChanged(s.loaded.config, s.loaded.copies)...)
	if err != nil {
		s.StaleUnread = err.Error()
	}
	if !s.ReloadFailed && (err != nil || st.count() == 0) {
		return
	}
	found := checkOnDisk(c, *s.loaded, daemonTarget(s.Adapters), s.ReloadFailed)
	if p := s.saidFirst; p != nil && len(found.problems) > 0 && sameFile(p.File, s.loaded.config) &&
		strings.HasSuffix(found.problems[0], strings.TrimPrefix(p.String(), p.File)) {
		found.problems[0] = "the first problem above"
	}
	wontLoad := ""
	if len(found.problems) > 0 {
		wontLoad = found.problems[0]
		st.mappingsAlone = !found.configBroken
	}
	if s.ReloadFailed {
		s.ReloadWhy = reloadWhy(found, st.secrets, err != nil || st.count() > 0, s.loaded.config)
		if wontLoad != "" {
			wontLoad = "the first problem above" // said once
		}
	}
	if err == nil && st.count() > 0 {
		since := st.edited // or, earlier, when the daemon first found them changed
		if d := s.staleSince; !d.IsZero() && (since.IsZero() || d.Before(since)) {
			since = d
		}
		s.Stale = st.line(wontLoad, since, clk)
	}
}

// restartNeeded records the settings changed since the daemon started
// that only a restart takes (none: nothing waits for one), for /metrics
// and the status line: before, the reload's warning in the log alone said
// so, and status nothing.
func (d *daemon) restartNeeded(settings []string) {
	d.metrics.RestartNeeded(settings)
	what := ""
	if len(settings) > 0 {
		what = "settings read only at start CHANGED (" + strings.Join(settings, ", ") + "): systemctl restart syncd"
	}
	d.line.set(attnRestart, what)
}

// restartLine is what syncd status says of settings that wait for a
// restart.
func restartLine(settings []string) string {
	return "settings changed since the daemon started, read only at start: " + strings.Join(settings, ", ") +
		": the daemon runs on them as it started, a reload does not take them; systemctl restart syncd"
}

// staleWatch is what the daemon loaded last and what it found of the
// files on disk since; its mutex makes a comparison and its outcome one
// step, so that one begun before a reload cannot follow the reload's own.
type staleWatch struct {
	mu     sync.Mutex
	loaded *loadedFiles
	said   string    // the files changed that the log was last told of
	since  time.Time // since when they have been changed; zero while they agree
}

// loadedMapDir is the mapping folder the daemon loaded its mappings from
// (absolute), at its start or last reload.
func (d *daemon) loadedMapDir() string {
	d.loaded.mu.Lock()
	defer d.loaded.mu.Unlock()
	if d.loaded.loaded == nil {
		return ""
	}
	return d.loaded.loaded.mapDir
}

// setLoaded records what the daemon loaded, for /metrics, and compares it
// with the files on disk at once.
func (d *daemon) setLoaded(l loadedFiles) {
	d.loaded.mu.Lock()
	d.loaded.loaded = &l
	d.loaded.mu.Unlock()
	d.metrics.ConfigFilesLoaded(l.metrics())
	d.checkLoaded()
}

// watchLoaded compares the files the daemon loaded with those on disk
// every staleCheck, until ctx ends.
func (d *daemon) watchLoaded(ctx context.Context) error {
	t := time.NewTicker(staleCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			d.checkLoaded()
		}
	}
}

// checkLoaded compares the files the daemon loaded with those on disk, for
// the gauges and the status line, and logs the files changed once per set
// of them.
func (d *daemon) checkLoaded() {
	w := &d.loaded
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.loaded == nil || d.held.on() { // held, no mapping file was loaded: the hold's own line says they do not load
		return
	}
	s, err := w.loaded.changedOnDisk()
	if err != nil {
		d.log.Debug().Err(err).Msg("configuration and mapping files not compared with those loaded: the gauge stays as it was")
		return
	}
	files := s.files
	for _, c := range s.secrets {
		files = append(files, c.Path+" ("+c.How+")")
	}
	said := strings.Join(files, ", ")
	d.metrics.ConfigSecretsChanged(s.secrets)
	if s.count() == 0 {
		w.said, w.since = "", time.Time{}
		d.metrics.ConfigStale(0, time.Time{})
		d.line.set(attnStale, "")
		return
	}
	// Since when: when a check first found them changed, or, earlier,
	// when a mapping file found changed was written.
	first := time.Now()
	if !s.edited.IsZero() && s.edited.Before(first) {
		first = s.edited
	}
	if w.since.IsZero() || first.Before(w.since) {
		w.since = first
	}
	d.metrics.ConfigStale(s.count(), w.since)
	noun, _ := s.what()
	d.line.set(attnStale, noun+" CHANGED on disk, not reloaded: syncd status")
	var why string
	var configBroken bool
	if len(s.files) > 0 {
		why, configBroken = d.wouldNotLoad(w.loaded.mapDir)
	}
	if said += "\x00" + why; said != w.said { // once per set of files, and again when whether they load changes
		w.said = said
		msg := noun + " changed on disk since loaded: the daemon runs on the files as loaded " + takenBy(s)
		ev := d.log.Warn().Strs("files", files)
		if why != "" {
			restart := "hold the mapping (deliveries stored, none mapped until they load)"
			if configBroken {
				restart = "not start the daemon"
			}
			ev = ev.Str("would_not_load", why)
			msg += "; as they are on disk they would NOT load: a reload would be rejected, and a restart would " + restart +
				"; syncd validate lists every problem"
		}
		ev.Msg(msg)
	}
}

// wouldNotLoad is the first problem of the configuration and mapping
// files on disk, loaded as a reload loads them in the daemon whose
// mappings were loaded from mapDir ("" when they load), and
// whether it is the configuration's (or its secret files'), on which
// serve does not start, rather than the mappings', on which it starts
// holding its mapping. The log's line of files changed says it, as
// syncd status does: before, it said "syncd status says whether they
// load", and someone reading the journal alone learnt nothing of a
// mapping broken under the daemon until its restart.
func (d *daemon) wouldNotLoad(mapDir string) (problem string, configBroken bool) {
	cfg, err := config.Load(d.file, os.Getenv)
	if err != nil {
		return problemsOf(err)[0], true
	}
	target := "" // the configuration's
	if d.syncer != nil {
		target = d.syncer.Target() // the daemon's: a reload keeps it
	}
	if p := rulesOnDisk(cfg, target, mapDir).problems; len(p) > 0 {
		return p[0], false
	}
	return "", false
}

// takenBy says what takes the changed files s holds: a reload, and a
// restart for the secrets read only at start (report.mail.password_file,
// store.dsn_file), which a reload leaves as they were.
func takenBy(s staleFiles) string {
	var restart []string
	reload := len(s.files) > 0
	for _, c := range s.secrets {
		if c.Restart {
			restart = append(restart, c.Key)
		} else {
			reload = true
		}
	}
	only := "until systemctl restart syncd (" + strings.Join(restart, ", ") + " is read only at start)"
	switch {
	case len(restart) == 0:
		return "until systemctl reload syncd (syncd status says whether they load)"
	case !reload:
		return only
	}
	return "until systemctl reload syncd (syncd status says whether they load); " + strings.Join(restart, ", ") +
		" is read only at start: systemctl restart syncd"
}
