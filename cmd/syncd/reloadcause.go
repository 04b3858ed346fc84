package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/metrics"
)

// A reload (SIGHUP) that finds the configuration or the mappings invalid is
// rejected, the daemon going on with what it had. Status said "LAST RELOAD
// FAILED ... (see the journal)" and no more, the files fixed or not, until
// the next reload. Status, in its own process, checks the files on disk as
// the reload reads them (as syncd validate does, never exporting the
// daemon's error text) and says the first problem at its file and line,
// how many more and the syncd validate that lists them; or that the files
// load now, and the reload that takes them.

// diskCheck is what status found of the files a daemon loaded as they are
// on disk now.
type diskCheck struct {
	// problems keep the configuration and mappings from loading, each as
	// syncd validate says it (file:line: ...): the configuration's, else
	// the mappings'; their secret files are not read for them.
	problems []string
	// secretsUnread: they load, but status may not open one of their
	// secret files (run as another user than the daemon's), so that it
	// cannot say they would.
	secretsUnread bool
	// configBroken: the problems are the configuration's or its secret
	// files', which serve does not start on; else the mappings' alone,
	// which it starts holding (mappinghold.go).
	configBroken bool
}

// checkOnDisk checks the configuration and mappings of l on disk as a
// reload of the daemon whose CRM is target ("": the configuration's) loads
// them; secrets: and, when they load, their secret files as the daemon
// reads them (its credentials from the folder of its copies). Asked about
// secrets, it loads the configuration once with them where it loads (it
// loaded it twice, without then with them); only where it does not, again
// without them, to tell its own problems and the mappings' from its
// secret files'.
func checkOnDisk(c *cli, l loadedFiles, target string, secrets bool) diskCheck {
	var withSecrets error
	if secrets {
		cfg, err := config.Load(l.config, daemonEnv(c, l))
		if err == nil {
			return rulesOnDisk(cfg, target, l.mapDir)
		}
		withSecrets = err
	}
	cfg, err := config.LoadWithoutSecrets(l.config, c.getenv)
	if err != nil {
		return diskCheck{problems: problemsOf(err), configBroken: true}
	}
	if found := rulesOnDisk(cfg, target, l.mapDir); len(found.problems) > 0 || withSecrets == nil {
		return found
	}
	if deniedAny(cfg, daemonEnv(c, l)) { // another user than the daemon's: their problems are status's own
		return diskCheck{secretsUnread: true}
	}
	return diskCheck{problems: problemsOf(withSecrets), configBroken: true}
}

// rulesOnDisk checks the mappings of cfg on disk as a reload of a daemon
// whose CRM is target ("": the configuration's) and whose mappings were
// loaded from mapDir ("": cfg's) loads them (reloadRules).
func rulesOnDisk(cfg *config.Config, target, mapDir string) diskCheck {
	if _, _, err := reloadRules(cfg, target, mapDir); err != nil {
		return diskCheck{problems: problemsOf(err)}
	}
	return diskCheck{}
}

// daemonEnv is the environment the daemon of l reads its secret files
// with: its credentials from the folder of its copies.
func daemonEnv(c *cli, l loadedFiles) config.Env {
	if len(l.copies) == 0 {
		return c.getenv
	}
	dir := filepath.Dir(l.copies[0]) // the daemon's $CREDENTIALS_DIRECTORY
	return func(k string) string {
		if k == "CREDENTIALS_DIRECTORY" {
			return dir
		}
		return c.getenv(k)
	}
}

// problemsOf is each problem of a configuration or mappings that did not
// load (err), as syncd validate says it.
func problemsOf(err error) []string {
	var out []string
	var ps config.Problems
	var les mapping.LoadErrors
	switch {
	case errors.As(err, &ps):
		for _, p := range ps {
			out = append(out, p.String())
		}
	case errors.As(err, &les):
		for _, e := range les {
			out = append(out, e.Error())
		}
	}
	if len(out) == 0 {
		first, _, _ := strings.Cut(err.Error(), "\n")
		out = append(out, first)
	}
	return out
}

// deniedAny says whether this user may not open one of the secret files
// of cfg (read with env), as the daemon's user may.
func deniedAny(cfg *config.Config, env config.Env) bool {
	for _, p := range cfg.SecretFiles() {
		f, err := os.Open(config.SecretPath(cfg.File, p, env))
		if errors.Is(err, fs.ErrPermission) {
			return true
		}
		if err == nil {
			f.Close()
		}
	}
	return false
}

// reloadWhy is what status says, after "LAST RELOAD FAILED: running on the
// previous configuration and mappings", of the files on disk (found, and
// the secret files the daemon found removed, empty or unreadable, which a
// reload refuses): the first problem, how many more and the command that
// lists them (file: the configuration file); or that they load, and the
// reload that takes them (changed: they are not those the daemon loaded)
// or clears the line.
func reloadWhy(found diskCheck, secrets []metrics.SecretChanged, changed bool, file string) string {
	problems := found.problems
	for _, s := range secrets {
		said := slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, s.Path) }) // status read it too
		if s.How != "changed" && s.How != "credential" && !said {
			problems = append(problems, fmt.Sprintf("%s (%s): %s", s.Path, s.Key, s.How))
		}
	}
	if len(problems) > 0 {
		return stillNotLoad(problems, file)
	}
	validate := "syncd validate -config " + shellescape.Quote(file)
	line, then := "the files on disk load now", "systemctl reload syncd takes them"
	if !changed {
		line, then = "the files on disk are again those it runs on, and load", "systemctl reload syncd clears this"
	}
	if found.secretsUnread {
		line += " (their secret files aside, which this user may not read: " + validate + " as root reads them)"
	}
	return line + ": " + then
}

// heldWhy is what status says of the mapping files of a daemon holding its
// mapping (their files did not load as it started), checked on disk as a
// reload reads them with cfg, status's configuration: the first problem,
// how many more and the command that lists them; or that they load now,
// and the reload that maps what waited.
func heldWhy(cfg *config.Config, adapters []AdapterStatus) string {
	const mapped = ": the leads waiting are mapped then"
	problems := rulesOnDisk(cfg, daemonTarget(adapters), "").problems
	if len(problems) == 0 {
		return "the files on disk load now: systemctl reload syncd" + mapped
	}
	return stillNotLoad(problems, cfg.File) + mapped
}

// daemonTarget is the CRM of the daemon whose adapters status read, which
// a reload keeps; "" (the configuration's) when it does not say one.
func daemonTarget(adapters []AdapterStatus) string {
	if len(adapters) == 1 {
		return adapters[0].Name
	}
	return ""
}

// stillNotLoad says that the files on disk do not load (problems, as
// syncd validate says them, at least one): the first, how many more, the
// syncd validate of the configuration file that lists them, and the
// reload once they are fixed.
func stillNotLoad(problems []string, file string) string {
	more := ""
	if n := len(problems) - 1; n > 0 {
		more = fmt.Sprintf(" (and %d more)", n)
	}
	return "the files on disk still do NOT LOAD: " + problems[0] + more + "; syncd validate -config " + shellescape.Quote(file) +
		" lists every problem; fix them, then systemctl reload syncd"
}
