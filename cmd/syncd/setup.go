package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"al.essio.dev/pkg/shellescape"

	"github.com/coreos/go-systemd/v22/journal"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/journald"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/suggest"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/systemd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// defaultConfig is used when -config is not given.
const defaultConfig = "configs/syncd.example.yaml"

// flags returns a FlagSet for a command that writes its errors to stderr.
func (c *cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("syncd "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	return fs
}

// subcommand runs the subcommand c.args[0] names among subs with the
// arguments after it (flags put before it too); no subcommand, -h or help
// print usage.
func (c *cli) subcommand(ctx context.Context, name, usage string, subs map[string]func(*cli, context.Context) int) int {
	if len(c.args) == 0 {
		fmt.Fprintf(c.stderr, "syncd %s: no subcommand given\n\n%s", name, usage)
		return exitUsage
	}
	args := subcommandFirst(c.args, func(w string) bool { return subs[w] != nil })
	sub := args[0]
	switch {
	case sub == "-h" || sub == "-help" || sub == "--help" || sub == "help":
		fmt.Fprint(c.stdout, usage)
		return exitOK
	case subs[sub] != nil:
		return subs[sub](&cli{name: c.name + " " + sub, args: args[1:], stdin: c.stdin, stdout: c.stdout, stderr: c.stderr, getenv: c.getenv}, ctx)
	case strings.HasPrefix(sub, "-") && firstWord(args) == "": // a flag is no subcommand
		fmt.Fprintf(c.stderr, "syncd %s: no subcommand given, only flags\n\n%s", name, usage)
		return exitUsage
	case strings.HasPrefix(sub, "-"):
		sub = firstWord(args) // the word after the flags
	}
	meant := ""
	if m := suggest.Nearest(sub, slices.Sorted(maps.Keys(subs))); m != "" {
		meant = fmt.Sprintf(": did you mean %q?", m)
	}
	fmt.Fprintf(c.stderr, "syncd %s: unknown subcommand %q%s\n\n%s", name, sub, meant, usage)
	return exitUsage
}

// loadConfig loads the configuration, printing every problem on failure.
func (c *cli) loadConfig(file string) (*config.Config, bool) {
	return c.loadConfigWith(config.Load, file)
}

// loadReaderConfig is loadConfig for a command that only reads the store
// and reaches neither the CRM nor the mail server: the secret files are
// not read (config.LoadWithoutSecrets), so that it runs from a shell or a
// cron job without the service's $CREDENTIALS_DIRECTORY, as any user who
// may read the configuration and the database.
func (c *cli) loadReaderConfig(file string) (*config.Config, bool) {
	return c.loadConfigWith(config.LoadWithoutSecrets, file)
}

func (c *cli) loadConfigWith(load func(string, config.Env) (*config.Config, error), file string) (*config.Config, bool) {
	// An agency's /etc/syncd/NAME.yaml: the systemctl commands every
	// command prints name its unit, syncd@NAME, not syncd.service.
	c.stdout, c.stderr = forInstance(c.stdout, file), forInstance(c.stderr, file)
	cfg, err := load(file, c.getenv)
	if err != nil {
		c.configFailed(file, err)
		return nil, false
	}
	if cfg.FileDataDir != "" && !saysOwnWarnings(c.name) && holdsDatabase(cfg.FileDataDir) {
		// A cron line copied from syncd.service's (SYNCD_DATA_DIR=/var/lib/syncd)
		// for an agency's file backed up, exported and erased another
		// database than the file's (syncd.service's) without a word. Said
		// only where the file's data_dir holds a database: syncd.service's
		// own file (the package's data_dir: ./data, never used) is read
		// with that override by design, and its nightly backup would say
		// so to cron each night.
		c.errorf("warning: SYNCD_DATA_DIR=%s overrides data_dir %s of %s: this command reads %s, not the file's database "+
			"(syncd.service's unit sets SYNCD_DATA_DIR; an agency's syncd@NAME does not: run the command for its file without it)",
			c.getenv("SYNCD_DATA_DIR"), cfg.FileDataDir, abs(file), abs(cfg.DBPath()))
	}
	return cfg, true
}

// holdsDatabase reports whether dir holds a syncd database (syncd.db).
func holdsDatabase(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "syncd.db"))
	return err == nil
}

// saysOwnWarnings reports whether the command name says the
// configuration's warnings itself (validate, serve, reload) or the data
// directory the daemon serves (status): loadConfig leaves them to it.
func saysOwnWarnings(name string) bool {
	switch name {
	case "validate", "serve", "reload", "status":
		return true
	}
	return false
}

// configFailed says why the configuration in file did not load: every
// problem of it, or why it could not be read.
func (c *cli) configFailed(file string, err error) {
	var ps config.Problems
	if errors.As(err, &ps) {
		c.errorf("%s: %s:\n%s", file, syncd.Counted(len(ps), "problem", "problems"), ps)
	} else {
		c.errorf("%v%s", err, defaultConfigNote(file, err))
	}
}

// defaultConfigNote says what to give instead of a -config that cannot
// be read: of the default one missing, what it is (an operator on an
// installed server who left -config out never named the checkout's
// example); of a directory (/etc/syncd), the configuration files in it.
func defaultConfigNote(file string, err error) string {
	if st, serr := os.Stat(file); serr == nil && st.IsDir() {
		names, _ := filepath.Glob(filepath.Join(file, "*.yaml"))
		for i, n := range names {
			names[i] = "-config " + shellescape.Quote(n)
		}
		if len(names) == 0 {
			return ": give -config the configuration file (none here ends in .yaml)"
		}
		return ": give -config a configuration file in it: " + strings.Join(names, ", ")
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	if file != defaultConfig {
		return missingConfigNote(file)
	}
	wd, werr := os.Getwd()
	if werr != nil {
		wd = "(unknown)"
	}
	return fmt.Sprintf(": that is the default -config, the example in a checkout of syncd, read from the working "+
		"directory %s: give -config FILE, e.g. -config /etc/syncd/syncd.yaml where the package or systemd/README.md installed it", wd)
}

// missingConfigNote says, of a -config FILE given that is not there, where
// it was looked for (a relative one in the working directory) and the
// configuration files beside it, one of which may be the one meant
// (syncd.yml for syncd.yaml, a typo).
func missingConfigNote(file string) string {
	note := ""
	if !filepath.IsAbs(file) {
		if wd, err := os.Getwd(); err == nil {
			note = fmt.Sprintf(": a relative -config is read from the working directory %s", wd)
		}
	}
	var names []string
	for _, pattern := range []string{"*.yaml", "*.yml"} {
		found, _ := filepath.Glob(filepath.Join(filepath.Dir(file), pattern))
		names = append(names, found...)
	}
	if len(names) > 3 {
		names = names[:3]
	}
	for i, n := range names {
		names[i] = "-config " + shellescape.Quote(n)
	}
	if len(names) > 0 {
		return note + "; configuration files there: " + strings.Join(names, ", ")
	}
	if filepath.Clean(file) == serverConfig { // it said to give that very path
		return ": syncd is not configured on this host yet: copy the example configuration there and edit it " +
			"(systemd/README.md, or /usr/share/doc/syncd where the package installed syncd), or give -config the file's path"
	}
	return note + ": give -config the configuration file's path (on a server " + serverConfig + ")"
}

// serverConfig is where the package and systemd/README.md put the
// configuration, and where the systemd unit reads it.
const serverConfig = "/etc/syncd/syncd.yaml"

// daemonLogger is the daemon's logger: JSON lines on w, or, with journald
// set, entries sent to journald with each field as a journal field. Where
// no journal listens (outside systemd, in a container) it stays on w and
// says so: sent to the journal, every line was lost. Where w is systemd's
// stream to the journal (the unit's stdout), each line begins with its
// priority, which journald takes off and keeps the line at. The systemctl
// commands its lines name are those of file's unit (forInstance).
func daemonLogger(w io.Writer, cfg *config.Config, file string) zerolog.Logger {
	if f, ok := w.(*os.File); ok && systemd.JournalStream(f) {
		w = systemd.PriorityWriter{W: f}
	}
	w = forInstance(w, file)
	if !cfg.Log.Journald {
		return newLogger(w, cfg.Log.Level)
	}
	if !journal.Enabled() {
		log := newLogger(w, cfg.Log.Level)
		log.Warn().Msg("log.journald is set but no journal listens here: logging JSON lines on stdout")
		return log
	}
	return newLogger(journald.NewJournalDWriter(), cfg.Log.Level)
}

// newLogger returns a logger writing zerolog JSON on w.
func newLogger(w io.Writer, level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(strings.ToLower(level))
	if err != nil || level == "" {
		lvl = zerolog.InfoLevel
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger()
}

// commandLogger returns the logger of a command run from a shell: its
// lines in words on w, each "syncd NAME: what happened key=value …" ("…:
// warning: …" above info), without the daemon's JSON and time stamps
// (the terminal's reader sees when), or the time a step took. A time in a
// field (until, failing_since) is shown as every command shows times, in
// clk's zone with the offset ("2026-11-29 23:05:01 +01:00"): it was the
// process's zone, UTC on most servers, beside status's local times.
func commandLogger(w io.Writer, name, level string, clk clock) zerolog.Logger {
	prefix := "syncd " + name + ":"
	cw := zerolog.ConsoleWriter{Out: w, NoColor: true,
		PartsOrder:    []string{zerolog.LevelFieldName, zerolog.MessageFieldName},
		FieldsExclude: []string{zerolog.TimestampFieldName, "took_ms"},
		FormatLevel: func(l any) string {
			switch l {
			case zerolog.LevelWarnValue:
				return prefix + " warning:"
			case zerolog.LevelErrorValue, zerolog.LevelFatalValue, zerolog.LevelPanicValue:
				return prefix + " error:"
			}
			return prefix
		},
		FormatFieldValue: func(v any) string {
			s := fmt.Sprintf("%s", v) // as zerolog's own: a string, a number, or JSON bytes
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				return strconv.Quote(clk.show(t))
			}
			return s
		},
	}
	return newLogger(cw, level)
}

// sources converts the configured sources for the receiver.
func sources(cfg *config.Config) []webhook.Source {
	var out []webhook.Source
	for _, name := range cfg.SourceNames() {
		s := cfg.Sources[name]
		src := webhook.Source{
			Name: name, Kind: syncd.Kind(s.Kind), Tokens: s.Tokens,
			BasicUser: s.BasicAuth.Username, BasicPass: s.BasicAuth.Password,
		}
		for _, p := range s.AllowIPs {
			pfx, _ := config.ParsePrefix(p) // validated on load
			src.AllowIPs = append(src.AllowIPs, pfx)
		}
		out = append(out, src)
	}
	return out
}

func prefixes(cidrs []string) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range cidrs {
		pfx, _ := config.ParsePrefix(p) // validated on load
		out = append(out, pfx)
	}
	return out
}

// fail prints err and returns its exit status; an interruption (Ctrl-C,
// SIGTERM: a cancelled context) is said as such, with what it leaves.
func (c *cli) fail(err error) int { return c.failing(err, true) }

// failCopy is fail for an error of a copy written to another file (backup
// -out): SQLite's disk full is then that file's disk, which the error
// says, not the database's.
func (c *cli) failCopy(err error) int { return c.failing(err, false) }

func (c *cli) failing(err error, dbFull bool) int {
	if errors.Is(err, context.Canceled) { // Ctrl-C, SIGTERM
		fmt.Fprintln(c.stderr, c.interrupted())
		return exitFailure
	}
	if c.db != "" {
		err = sqlite.ExplainLockedCommand(c.db, sqlite.ExplainDamaged(c.db, err))
		if dbFull {
			err = sqlite.ExplainFullCommand(c.db, err)
		}
	}
	c.errorf("%v", err)
	if code := exitStatus(err); code != exitFailure || !databaseNeedsAPerson(err) {
		return code
	}
	return exitUsage // as serve refuses it: a person acts, a retry changes nothing (startexit.go)
}

// exitStatuses maps each domain error code to the command line's exit
// status: the one place where that is decided.
var exitStatuses = map[string]int{
	syncd.EInvalid:     exitUsage,
	syncd.ENotFound:    exitNotFound,
	syncd.EUnavailable: exitUnavailable,
	syncd.EChanged:     exitUnavailable,
	syncd.EInternal:    exitFailure,
}

// exitStatus is err's exit status by its domain error code.
func exitStatus(err error) int {
	if st, ok := exitStatuses[syncd.ErrorCode(err)]; ok {
		return st
	}
	return exitFailure
}
