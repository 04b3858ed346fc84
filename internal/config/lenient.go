package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/syncd-dev/syncd/internal/writable"
)

// Lenient is LoadWithoutSecrets for syncd status run while the file does
// not load (an edit the daemon refused to reload): the configuration as
// far as it can be read, every default filled in and SYNCD_LISTEN and
// SYNCD_DATA_DIR applied, so that status can still find the daemon, with
// the problems that keep it from loading (nil: it loads). A file that is
// not YAML is read up to the line of its first problem, or above it as far
// as that reads; the settings it gives from there on are not Settled (a
// data_dir below a line broken: status must not take the default for it).
// Nil only when the file cannot be read.
func Lenient(file string, env Env) (*Config, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", writable.ExplainRead(err))
	}
	cfg, err := parse(file, raw, env, true, false)
	var ps Problems
	if cfg != nil || !errors.As(err, &ps) || len(ps) == 0 {
		return cfg, err
	}
	// Not YAML: the settings above its first problem, which is where
	// the parser gave up (listen and data_dir head the file); where that
	// is below the line that broke it (a bracket left open), above that
	// line. The settings the file gives from there on are not read
	// (Settled), but for SYNCD_LISTEN's and SYNCD_DATA_DIR's.
	for n := ps[0].Line; n > 1; n-- {
		before := linesBefore(raw, n)
		cfg, _ = parse(file, before, env, true, false)
		if cfg != nil {
			cfg.unsettled = append(cfg.unsettled, topKeysFrom(raw, n, env)...)
			return cfg, err
		}
	}
	l := &loader{file: file, env: env, noSecrets: true}
	cfg = &Config{File: file, unsettled: topKeysFrom(raw, 1, env)}
	l.overrides(cfg)
	l.defaults(cfg)
	l.storeDefaults(cfg)
	return cfg, err
}

// topKeysFrom is the top-level keys of raw at its line n (1-based) or
// below, SYNCD_LISTEN's and SYNCD_DATA_DIR's aside when env sets them.
func topKeysFrom(raw []byte, n int, env Env) [][]string {
	var out [][]string
	lines := bytes.Split(bytes.TrimPrefix(raw, []byte("\ufeff")), []byte("\n"))
	for _, line := range lines[min(n-1, len(lines)):] {
		key, _, found := bytes.Cut(bytes.TrimRight(line, "\r"), []byte(":"))
		k := string(key)
		if !found || k == "" || strings.ContainsAny(k[:1], " \t#-'\"[{") {
			continue
		}
		if k == "listen" && env("SYNCD_LISTEN") != "" || k == "data_dir" && env("SYNCD_DATA_DIR") != "" {
			continue
		}
		out = append(out, []string{strings.TrimSpace(k)})
	}
	return out
}

// linesBefore is the text of raw above its line n (1-based).
func linesBefore(raw []byte, n int) []byte {
	end := 0
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(raw[end:], '\n')
		if j < 0 {
			return raw
		}
		end += j + 1
	}
	return raw[:end]
}
