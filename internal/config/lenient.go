package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/syncd-dev/syncd/internal/writable"
)

// Lenient is LoadWithoutSecrets for syncd status run while the file does
// not load (an edit the daemon refused to reload): the configuration as
// far as it can be read, every default filled in and SYNCD_LISTEN and
// SYNCD_DATA_DIR applied, so that status can still find the daemon, with
// the problems that keep it from loading (nil: it loads). A file that is
// not YAML is read up to the line of its first problem. Nil only when the
// file cannot be read.
func Lenient(file string, env Env) (*Config, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", writable.ExplainRead(err))
	}
	cfg, err := parse(file, raw, env, true)
	var ps Problems
	if cfg != nil || !errors.As(err, &ps) || len(ps) == 0 {
		return cfg, err
	}
	// Not YAML: the settings above its first problem, which is where
	// the parser gave up (listen and data_dir head the file).
	if before := linesBefore(raw, ps[0].Line); len(before) > 0 {
		if cfg, _ = parse(file, before, env, true); cfg != nil {
			return cfg, err
		}
	}
	l := &loader{file: file, env: env, noSecrets: true}
	cfg = &Config{File: file}
	l.overrides(cfg)
	l.defaults(cfg)
	l.storeDefaults(cfg)
	return cfg, err
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
