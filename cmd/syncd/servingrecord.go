package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/systemd"
)

// A daemon serves on the address it started on until restarted, whatever
// its configuration file says since: listen edited (a reload takes it only
// at the restart), or the file broken by an edit its reload refused. Status
// found the daemon by the file alone, so that it said no daemon answers,
// exit 2, while one ran; a file broken above its data_dir also gave status
// the default data directory, whose database it took for this one's. The
// daemon keeps, in its data directory, a record of where it serves and on
// what (servingName), written at start and on each reload, removed when
// it stops; status reads it when the file's address finds none
// (recorded). On PostgreSQL each instance keeps its own, so that status
// finds this host's instance where listen has the system choose a port.

// servingName is the daemon's record in its data directory.
const servingName = "syncd-serving.json"

// stateDirsRoot is the state directory of syncd.service
// (StateDirectory=syncd); syncd@NAME.service's is NAME in it. Status
// looks there for the record of a daemon started on a file it cannot read
// the data_dir of.
const stateDirsRoot = "/var/lib/syncd"

// servingRecord is where a running daemon serves and on what.
type servingRecord struct {
	Config  string `json:"config"`                         // the configuration file, absolute
	Listen  string `json:"listen"`                         // the address its listener is bound to
	Metrics string `json:"metrics_listen,omitempty"`       // its own for /metrics, when metrics.listen is set
	DataDir string `json:"data_dir"`                       // absolute
	WorkDir string `json:"working_dir"`                    // where the file's relative paths are read
	DataEnv bool   `json:"data_dir_from_env,omitempty"`    // SYNCD_DATA_DIR gave DataDir
	Socket  bool   `json:"socket_not_at_listen,omitempty"` // Listen is a socket systemd passed, not at listen:
	// SocketUnit is the socket unit that passed it, as systemd names it
	// (syncd@NAME.socket for an agency's instance); "" before it was kept.
	SocketUnit string    `json:"socket_unit,omitempty"`
	Database   string    `json:"database"`
	PID        int       `json:"pid"`
	Started    time.Time `json:"started"`
	path       string    // where status read it
	// ListenEnv says that SYNCD_LISTEN gave Listen: a restart listens
	// there again, not at the file's listen.
	ListenEnv bool `json:"listen_from_env,omitempty"`
	// StartedBy is who started it: startedBySystemd or startedByHand
	// (configmatch.go); "" before it was kept.
	StartedBy string `json:"started_by,omitempty"`
	// Command is the command line it was started with (its arguments,
	// the program as given), read in WorkDir: what a daemon started by
	// hand is started again with; empty before it was kept.
	Command []string `json:"command,omitempty"`
	// Process is when its process started (processStart), Boot in which
	// of the kernel's boots (bootID, "" where hidden from it): the process
	// PID names since is another where either differs; "" before they
	// were kept.
	Process string `json:"process_start,omitempty"`
	Boot    string `json:"boot_id,omitempty"`
}

// addr is where the daemon of r serves /metrics.
func (r servingRecord) addr() string { return cmp.Or(r.Metrics, r.Listen) }

// writeServing writes r into its data directory, atomically (a status
// reading it meanwhile reads the old one or the new one), readable by
// every user who may pass through the directory: status is run by others
// than the daemon's user. It holds no secret.
func writeServing(r servingRecord) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(r.DataDir, "."+servingName+"-*")
	if err != nil {
		return fmt.Errorf("serving record: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, nothing there
	_, err = tmp.Write(append(data, '\n'))
	err = errors.Join(err, tmp.Chmod(0o644), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(r.DataDir, servingName))
	}
	if err != nil {
		return fmt.Errorf("serving record: %w", err)
	}
	return nil
}

// removeServing removes the record of the daemon pid from dir, at its
// clean stop; one another daemon wrote since is left.
func removeServing(dir string, pid int) error {
	r, err := readServing(dir)
	if err != nil || r.PID != pid {
		return nil
	}
	if err := os.Remove(r.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("serving record: %w", err)
	}
	return nil
}

// readServing reads the record in the data directory dir.
func readServing(dir string) (servingRecord, error) {
	path := filepath.Join(dir, servingName)
	data, err := os.ReadFile(path)
	if err != nil {
		return servingRecord{}, err
	}
	var r servingRecord
	if err := json.Unmarshal(data, &r); err != nil {
		return servingRecord{}, fmt.Errorf("%s: %w", path, err)
	}
	r.path = path
	return r, nil
}

// stateDirsOf is where the systemd units keep the state of a daemon
// started on file: syncd@NAME.service's /var/lib/syncd/NAME for
// /etc/syncd/NAME.yaml, syncd.service's /var/lib/syncd.
func stateDirsOf(file string) []string {
	name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	return []string{filepath.Join(stateDirsRoot, name), stateDirsRoot}
}

// sameConfig reports whether a and b name one configuration file.
func sameConfig(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA == nil && errB == nil && absA == absB {
		return true
	}
	return sameFile(a, b)
}

// recordServing leaves in the data directory where the daemon serves
// (ln, metricsLn) and on what, for syncd status: its configuration file
// may say otherwise while it runs (servingrecord.go), or have the system
// choose its port (listen :0; on PostgreSQL status then told this host's
// instance neither up nor down).
func (d *daemon) recordServing(ln, metricsLn net.Listener) {
	file, _ := filepath.Abs(d.file)
	dir, _ := filepath.Abs(d.cfg.DataDir)
	r := &servingRecord{Config: file, Listen: ln.Addr().String(), DataDir: dir, Database: d.db.where,
		PID: os.Getpid(), Started: time.Now(), Socket: !reaches(d.cfg.Listen, ln.Addr()), SocketUnit: systemd.SocketUnit(ln)}
	if metricsLn != nil {
		r.Metrics = metricsLn.Addr().String()
	}
	r.WorkDir, _ = os.Getwd()
	r.DataEnv = os.Getenv("SYNCD_DATA_DIR") != ""
	r.ListenEnv = os.Getenv("SYNCD_LISTEN") != ""
	r.StartedBy = startedBy(os.Getenv)
	r.Command = os.Args
	r.Process, r.Boot = processStart(r.PID), bootID()
	if d.db.cluster != nil { // PostgreSQL's data directory may hold nothing yet; a failure is writeServing's warning
		os.MkdirAll(dir, sqlite.DirMode)
	}
	d.serving = r
	d.rewriteServing()
}

// rewriteServing writes the record again (at start, and on each reload:
// one removed meanwhile is back); a failure is a warning, the daemon
// serving on.
func (d *daemon) rewriteServing() {
	if d.serving == nil {
		return
	}
	if err := writeServing(*d.serving); err != nil {
		d.log.Warn().Err(err).Msg("syncd status finds this daemon by its configuration file alone")
	}
}

// unrecordServing removes the record at a clean stop.
func (d *daemon) unrecordServing() {
	if d.serving == nil {
		return
	}
	if err := removeServing(d.serving.DataDir, d.serving.PID); err != nil {
		d.log.Warn().Err(err).Msg("stop")
	}
}

// servingPlace is a data directory where a daemon's serving record may
// be, and which daemon's a record there must be to count: one running on
// the file looked for (byFile), or one serving db (byDB).
type servingPlace struct {
	dir          string
	byFile, byDB bool
	db           string
}

// servingIn walks places in order for the first record of the daemon its
// place asks for that live accepts (its process runs, for crm setup; it
// answers at its address serving that database, for status). known is
// false where a record could not be read for another reason than its
// absence (a data directory closed to this user), and none counted.
func servingIn(file string, places []servingPlace, live func(servingRecord) bool) (r servingRecord, ok, known bool) {
	known = true
	for _, p := range places {
		rec, err := readServing(p.dir)
		if err != nil {
			known = known && errors.Is(err, fs.ErrNotExist)
			continue
		}
		of := p.byFile && sameConfig(rec.Config, file) || p.byDB && (rec.Database == p.db || sameFile(rec.Database, p.db))
		if of && live(rec) {
			return rec, true, true
		}
	}
	return servingRecord{}, false, known
}

// recorded finds, by its record, the daemon serving cfg's database that
// the file's address did not find (answered: the database of the syncd
// that answered there instead, if one did). Its data directory known, the
// record there must be of its database, or of this file (file: the data
// directory moved there under its daemon); not read (the file broken
// above it), the record of the daemon answering, or in the units' state
// directories, must be of this file. The daemon it names must answer,
// serving that database.
func recorded(ctx context.Context, file string, cfg *config.Config, dbPath, answered string) (servingRecord, Snapshot, bool) {
	var places []servingPlace
	if cfg.Settled("data_dir") {
		places = append(places, servingPlace{dir: cfg.DataDir, byFile: true, byDB: true, db: dbPath})
	}
	if answered != "" { // data_dir relative, overridden, or changed since it started
		places = append(places, servingPlace{dir: filepath.Dir(answered), byFile: true})
	}
	if !cfg.Settled("data_dir") {
		for _, dir := range stateDirsOf(file) {
			places = append(places, servingPlace{dir: dir, byFile: true})
		}
	}
	var snap Snapshot
	r, ok, _ := servingIn(file, places, func(r servingRecord) bool {
		s, err := scrape(ctx, "http://"+r.addr()+"/metrics")
		snap = s
		return err == nil && (s.Database == r.Database || sameFile(s.Database, r.Database))
	})
	if !ok {
		return servingRecord{}, Snapshot{}, false
	}
	return r, snap, true
}

// fromRecord makes cfg that of the daemon its record r found (addr: the
// file's address, where snap answered, if it did) and says how status
// found it, and what of the file misleads the commands run from here (a
// data_dir relative or overridden, relative paths read from another
// working directory): for a file that loads, on lines of their own (and
// attention: the commands read another database); broken (its
// problems), the phrases returned (found: where; note: where relative
// paths are read, of a problem with one, or ""), within its DOES NOT LOAD
// line.
func (c *cli) fromRecord(cfg *config.Config, file string, r servingRecord, addr string, snap Snapshot, broken config.Problems) (found, note string, attention bool) {
	none := "none answers at " + addr
	if snap.Database != "" {
		none = "the syncd at " + addr + " serves " + snap.Database
	}
	listen := "the file's listen"
	if !cfg.Settled("listen") {
		listen = "the default listen, the file's not read"
	}
	found = fmt.Sprintf("%s (%s, %s: it serves where it started, as its record %s says)", r.addr(), none, listen, r.path)
	if r.ListenEnv && r.Metrics == "" {
		found = fmt.Sprintf("%s (%s, %s: it listens where SYNCD_LISTEN in its environment says, as its record %s says)",
			r.addr(), none, listen, r.path)
	}
	chosen := portChosenAtStart(addr) && snap.Database == ""
	if chosen {
		found = fmt.Sprintf("%s (%s, the file's listen, has the system choose a port as syncd starts: this one, as its record %s says)",
			r.addr(), addr, r.path)
	}
	if r.addr() == addr {
		found = fmt.Sprintf("%s, serving %s, as the record %s of this file's daemon says", addr, r.Database, r.path)
	}
	wd, _ := os.Getwd()
	if strings.Contains(broken.Error(), "relative path") && r.WorkDir != "" && r.WorkDir != wd {
		note = fmt.Sprintf("; it runs in %s, where the file's relative paths are read, and status read them from %s: "+
			"run syncd status there (cd %s), or give the file absolute paths", r.WorkDir, wd, shellescape.Quote(r.WorkDir))
	}
	data := c.dataDirOf(cfg, r, broken != nil)
	cfg.Listen, cfg.Metrics.Listen = r.Listen, r.Metrics
	if broken != nil {
		return found, note, false
	}
	out := asStarted(c.stdout, r) // started by hand: no systemctl restart for it
	if data != "" {
		fmt.Fprintf(out, "data_dir      %s\n", data)
	}
	switch {
	case r.addr() == addr:
	case r.Socket && r.Metrics == "":
		fmt.Fprintf(out, "daemon        found at %s (%s, the file's listen: it serves on the socket systemd passed, "+
			"ListenStream= in %s, as its record %s says); give listen the socket's address, or set metrics.listen\n",
			r.addr(), none, cmp.Or(r.SocketUnit, "syncd.socket"), r.path)
	case chosen:
		fmt.Fprintf(out, "daemon        found at %s; a sender cannot find that port, which changes at each start: "+
			"give listen a fixed one (e.g. 127.0.0.1:8080)\n", found)
	case snap.Database != "":
		fmt.Fprintf(out, "daemon        found at %s; restarted, it would not start: that syncd has the file's "+
			"address (address already in use): give this file an address of its own\n", found)
	case r.ListenEnv && r.Metrics == "":
		fmt.Fprintf(out, "daemon        found at %s; a restart listens there again (its environment is the "+
			"unit's: systemctl edit syncd): commands run from a shell find it by its record; to have the file say it, "+
			"write listen: %s and drop SYNCD_LISTEN\n", found, yamlAddress(r.Listen))
	case !sameConfig(r.Config, file): // a restart moves nothing: it starts on its own file again
		fmt.Fprintf(out, "daemon        found at %s\n", found)
	default:
		fmt.Fprintf(out, "daemon        found at %s; a restart (systemctl restart syncd) moves it to the file's\n", found)
	}
	return found, "", data != ""
}

// dataDirOf makes the data directory of cfg that of the daemon of r where
// the file's is not read (broken above it) or is not the daemon's (but
// where the daemon's database was moved into the file's), and says, of a
// file that loads (!broken), why the daemon's is another: a relative
// data_dir read from another working directory, SYNCD_DATA_DIR in the
// daemon's environment (syncd.service sets it), data_dir changed since it
// started, or its data directory moved under it. "": the same.
func (c *cli) dataDirOf(cfg *config.Config, r servingRecord, broken bool) string {
	here, _ := filepath.Abs(cfg.DataDir)
	if cfg.Settled("data_dir") && (here == r.DataDir || sameFile(here, r.DataDir)) {
		return ""
	}
	why := ""
	switch {
	case !cfg.Settled("data_dir"):
	case !filepath.IsAbs(cfg.DataDir) && filepath.Join(r.WorkDir, cfg.DataDir) == r.DataDir:
		why = fmt.Sprintf("RELATIVE (%s): the daemon reads it from the directory it runs in (%s), as %s; commands run from "+
			"here read %s: give data_dir an absolute path", cfg.DataDir, r.WorkDir, r.DataDir, here)
	case r.DataEnv:
		why = fmt.Sprintf("NOT THE DAEMON'S: it serves %s (SYNCD_DATA_DIR in its environment: syncd.service sets it), "+
			"while commands run from a shell read the file's %s: give both the same directory", r.DataDir, here)
	default:
		why = fmt.Sprintf("CHANGED since the daemon started: it serves %s, as the file said then, while the file and "+
			"the commands run from here say %s; a restart (systemctl restart syncd) serves the database there "+
			"(an empty one if it was not moved there)", r.DataDir, here)
		if _, err := os.Stat(r.Database); err != nil {
			why = fmt.Sprintf("MOVED under the daemon: it serves %s, no longer there, as the file said when it started; "+
				"the file and the commands run from here say %s, where its record is now: restart it (systemctl restart "+
				"syncd) to serve the database there", r.Database, here)
		}
	}
	if _, err := os.Stat(r.Database); err != nil && cfg.Settled("data_dir") {
		return why // moved here under the daemon: the database is the file's now
	}
	if cfg.Report.Dir == filepath.Join(cfg.DataDir, "reports") {
		cfg.Report.Dir = filepath.Join(r.DataDir, "reports")
	}
	cfg.DataDir = r.DataDir
	if broken {
		return ""
	}
	return why
}

// noRecord says where status looked for the record of a daemon started on
// file, and found none it may read: one this user may not read (the data
// directory closed to it) is named, with whom to run status as.
func noRecord(file string) string {
	for _, dir := range stateDirsOf(file) {
		if _, err := readServing(dir); errors.Is(err, fs.ErrPermission) {
			return fmt.Sprintf("%s: this user may not read it: run syncd status as the daemon's user, or root",
				filepath.Join(dir, servingName))
		}
	}
	return "none left a record in " + strings.Join(stateDirsOf(file), " or ")
}

// yamlAddress is addr as a configuration file's value: an IPv6 address
// in brackets in quotes ("[::1]:8080"), which YAML otherwise reads as a
// [...] list, so that the line pastes.
func yamlAddress(addr string) string {
	if strings.HasPrefix(addr, "[") {
		return strconv.Quote(addr)
	}
	return addr
}
