package config

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// bounded is a number or duration key whose 0 is its default: the parts of
// syncd that read it take anything not above 0 as their own default, so
// `sync.max_attempts: -1`, written as for retrying for ever, passed
// validate and dead-lettered after 10 attempts, `http.read_timeout: 0s`,
// written as Go's "no timeout", gave 30s, and `sync.lease: -1m` its 5m,
// none of it said.
type bounded struct {
	path []string
	def  string // the default, as it is written
	dur  bool   // a duration, else a whole number
	hint string // after the problem of a negative value, or ""
	// zeroOnly: a negative value is refused by the key's own range check
	// (validate.go), so only a 0 is said here.
	zeroOnly bool
}

// boundedKeys are the keys validateBounds checks: those of a CRM not
// chosen too, which would fail once crm.kind names it.
func boundedKeys() []bounded {
	return []bounded{
		{path: []string{"http", "max_body_bytes"}, def: "1048576", zeroOnly: true},
		{path: []string{"http", "max_header_bytes"}, def: "16384"},
		{path: []string{"http", "read_header_timeout"}, def: "5s", dur: true},
		{path: []string{"http", "read_timeout"}, def: "30s", dur: true},
		{path: []string{"http", "write_timeout"}, def: "30s", dur: true},
		{path: []string{"http", "idle_timeout"}, def: "2m", dur: true},
		{path: []string{"http", "max_connections"}, def: "512", zeroOnly: true},
		{path: []string{"intake", "max_depth"}, def: "256", zeroOnly: true},
		{path: []string{"intake", "dedup_window"}, def: "336h", dur: true},
		{path: []string{"intake", "max_batch"}, def: "512"},
		{path: []string{"intake", "answer_within"}, def: "10s", dur: true},
		{path: []string{"crm", "timeout"}, def: "30s", dur: true},
		{path: []string{"crm", "hubspot", "requests"}, def: "100"},
		{path: []string{"crm", "hubspot", "window"}, def: "10s", dur: true},
		{path: []string{"crm", "pipedrive", "requests"}, def: "20"},
		{path: []string{"crm", "pipedrive", "window"}, def: "2s", dur: true},
		{path: []string{"crm", "pipedrive", "settle_time"}, def: "1m", dur: true},
		{path: []string{"sync", "max_attempts"}, def: "10",
			hint: ": there is no unlimited, and syncd outbox retry -all-dead sends the dead-lettered again"},
		{path: []string{"sync", "lease"}, def: "5m", dur: true},
		{path: []string{"sync", "batch_size"}, def: "100"},
		{path: []string{"sync", "retry_after_cap"}, def: "30s", dur: true},
		{path: []string{"sync", "probe_every"}, def: "10m", dur: true, zeroOnly: true},
		{path: []string{"report", "catch_up_days"}, def: "7"},
		{path: []string{"report", "mail", "port"}, def: "587 (465 with tls: tls)", zeroOnly: true},
	}
}

// validateBounds refuses a negative value of a bounded key, at its line,
// and warns of a 0 written in the file, which is taken as the default;
// sync.prompt_delay, whose 0s turns the prompt run off, may not be negative
// either.
func (l *loader) validateBounds() {
	for _, k := range boundedKeys() {
		n, v, ok := l.number(k.path, k.dur)
		switch {
		case !ok || v > 0 || v < 0 && k.zeroOnly:
		case v < 0:
			l.at(k.path, "%s %s must be more than 0: write a %s such as %s, the default (or leave the key out)%s",
				strings.Join(k.path, "."), n.Value, kindOf(k.dur), k.def, k.hint)
		case !l.doubtful(k.path):
			l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line(k.path), Msg: fmt.Sprintf(
				"%s %s is taken as the default, %s: write the %s you mean, or leave the key out",
				strings.Join(k.path, "."), n.Value, k.def, kindOf(k.dur))})
		}
	}
	path := []string{"sync", "prompt_delay"}
	if n, v, ok := l.number(path, true); ok && v < 0 {
		l.at(path, "sync.prompt_delay %s must not be negative: write 0s to turn the prompt run off, or a delay such as 5s (the default)", n.Value)
	}
}

// number is the value the file writes at path, as a duration (dur) or a
// whole number: false when the file writes none there, or one of another
// type (decodeError said so).
func (l *loader) number(path []string, dur bool) (*yaml.Node, int64, bool) {
	if !l.has(path...) {
		return nil, 0, false
	}
	n := l.node(path)
	if n == nil || n.Kind != yaml.ScalarNode {
		return nil, 0, false
	}
	if dur {
		var d time.Duration
		if n.Decode(&d) != nil {
			return nil, 0, false
		}
		return n, int64(d), true
	}
	var i int64
	if n.Decode(&i) != nil {
		return nil, 0, false
	}
	return n, i, true
}

// node is the value node the file has at path, or nil.
func (l *loader) node(path []string) *yaml.Node {
	n := l.top()
	for _, key := range path {
		k := lookup(n, key)
		if k == nil {
			return nil
		}
		n = k.value
	}
	return n
}

// kindOf names the kind of value a bounded key takes.
func kindOf(dur bool) string {
	if dur {
		return "duration"
	}
	return "number"
}

// validateEvery refuses an @every schedule of no time or less (the cron
// library runs those, and any below a second, every second: sync.schedule
// "@every 0s" called the CRM every second, "@every -1m" too) and warns of
// one below a second, which runs every second.
func (l *loader) validateEvery(cfg *Config) {
	for _, s := range []struct {
		path      []string
		spec, fix string
	}{
		{[]string{"sync", "schedule"}, cfg.Sync.Schedule, `an interval of more than 0, as "@every 1m" (the default)`},
		{[]string{"report", "schedule"}, cfg.Report.Schedule, `a time of day, as "0 6 * * *" (the default: 06:00)`},
	} {
		v, ok := strings.CutPrefix(strings.TrimSpace(s.spec), "@every ")
		d, err := time.ParseDuration(strings.TrimSpace(v))
		switch {
		case !ok || err != nil || d >= time.Second:
		case d <= 0:
			l.at(s.path, "%s %q runs every second (an interval of no time is taken as a second): write %s",
				strings.Join(s.path, "."), s.spec, s.fix)
		default:
			l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line(s.path), Msg: fmt.Sprintf(
				"%s %q runs every second, the shortest interval a schedule has: write \"@every 1s\" if that is meant", strings.Join(s.path, "."), s.spec)})
		}
	}
}
