package config

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"al.essio.dev/pkg/shellescape"

	"go.yaml.in/yaml/v3"

	"github.com/syncd-dev/syncd/internal/suggest"
	"github.com/syncd-dev/syncd/internal/writable"
	"github.com/syncd-dev/syncd/internal/yamlpos"
)

// Problem is one thing wrong with a configuration, at a line of its file.
type Problem struct {
	File string
	Line int // 0 when the problem has no single line
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Problems is every problem found in a configuration; it is the error Load
// returns when the configuration is not usable.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Env is how Load reads the environment; os.Getenv in production.
type Env func(string) string

// Load reads, expands, decodes, completes and validates the configuration
// in file. On any problem it returns Problems listing all of them.
func Load(file string, env Env) (*Config, error) {
	cfg, err := load(file, env, false, false)
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

// Check is Load for syncd validate, which goes on to check what the
// configuration names (its mappings): with the problems it returns the
// configuration as far as it was read, whose Settled says which settings
// are as the file gives them (nil when the file is not YAML). A misspelt
// key does not stop the check of the rest of the file, and the problems
// it would cause (its setting's default refused) are not listed.
func Check(file string, env Env) (*Config, error) {
	return load(file, env, false, true)
}

// LoadWithoutSecrets is Load for a command that uses no token or password
// (one that only reads the store): the secret files are not read, their
// values are empty, and one missing or unreadable is no problem, so that
// such a command runs from a shell without the service's
// $CREDENTIALS_DIRECTORY, or as a user who may not read them. The store's
// DSN file is read: the command needs the store.
func LoadWithoutSecrets(file string, env Env) (*Config, error) {
	cfg, err := load(file, env, true, false)
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

func load(file string, env Env, noSecrets, check bool) (*Config, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", writable.ExplainRead(err))
	}
	cfg, err := parse(file, raw, env, noSecrets, check)
	if err != nil {
		return cfg, err
	}
	if st, err := os.Stat(file); err == nil {
		cfg.Warnings = append(append(append(writableConfig(file, st.Mode()), exposedSecrets(file, raw, st.Mode())...), upgradeLeft(file)...), cfg.Warnings...)
		sort.SliceStable(cfg.Warnings, func(i, j int) bool { return cfg.Warnings[i].Line < cfg.Warnings[j].Line })
	}
	return cfg, nil
}

// Parse is Load for a configuration already read; file names it in errors
// and anchors relative secret-file paths.
func Parse(file string, raw []byte, env Env) (*Config, error) {
	cfg, err := parse(file, raw, env, false, false)
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

func parse(file string, raw []byte, env Env, noSecrets, check bool) (*Config, error) {
	l := &loader{file: file, env: env, noSecrets: noSecrets, check: check}
	src, ok := l.parse(raw)
	if !ok {
		l.hideSecrets(raw)
		return nil, l.problems
	}
	// An unset variable, a misspelt key or a value of the wrong type is a
	// problem, but the rest is still checked (unsure.go).
	l.doubtUnset()
	l.tagged(src)
	l.unknownKeys(src)
	sum := sha256.Sum256(raw)
	cfg := &Config{File: file, Hash: hex.EncodeToString(sum[:]), root: &l.root}
	if err := l.root.Decode(cfg); err != nil {
		l.decodeError(err)
	}
	l.wholeNumbers()
	l.commentedSecrets(cfg, src)
	l.commentedPaths(src)
	l.hideSecrets(raw) // of what the parser quoted, before the checks' own words
	l.overrides(cfg)
	l.defaults(cfg)
	l.storeDefaults(cfg)
	l.secrets(cfg)
	l.storeSecret(cfg)
	l.validate(cfg)
	l.validateStore(cfg)
	if len(l.problems) > 0 {
		sort.SliceStable(l.problems, func(i, j int) bool { return l.problems[i].Line < l.problems[j].Line })
		cfg.unsettled = append(l.unread, l.found...)
		return cfg, l.problems
	}
	cfg.Warnings, cfg.OtherCRMMappings = l.warnings, l.otherCRMMappings
	cfg.secretSums = l.sums
	return cfg, nil
}

type loader struct {
	file     string
	env      Env
	root     yaml.Node
	problems Problems
	warnings Problems // what does not stop syncd (exposure.go)
	// otherCRMMappings is the warning of a mapping.dir named for the other CRM.
	otherCRMMappings *Problem
	failed           map[string]bool // secret files readSecret found missing or empty, by key path
	unsure           [][]string      // scopes a misspelt or mistyped key may have left at defaults (unsure.go)
	unread           [][]string      // the settings those keys meant
	found            [][]string      // the key paths of the problems found once the file was decoded
	// noSecrets: the secret files are not read (LoadWithoutSecrets); each
	// counts as failed, so that nothing is said of the value it would give.
	noSecrets bool
	sums      map[string][32]byte // of each secret file read, by its path (Config.SecretSum)
	// check: syncd validate (Check), which warns of what the service's
	// environment will not give it (shellenv.go).
	check     bool
	shellVars map[string]bool // the variables shellVar warned of
	unset     []int           // the lines a variable not set was read at (doubtUnset)
	// cut says, by key path, of a path setting cut short by " #" how it
	// was read and how to write it (commentedPaths), for readNeeded to say
	// of the file it then does not find.
	cut map[string]string
}

func (l *loader) add(line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: l.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// at adds a problem at the line of the key path (e.g. "sources", "lb", "kind"),
// or of its nearest ancestor present in the file.
// One that may follow from a misspelt or mistyped key is not said.
func (l *loader) at(path []string, format string, args ...any) {
	if l.doubtful(path) {
		return
	}
	l.found = append(l.found, path)
	l.add(l.line(path), format, args...)
}

// warnAt adds a warning at the line of the key path, as at adds a problem.
func (l *loader) warnAt(path []string, format string, args ...any) {
	if l.doubtful(path) {
		return
	}
	l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line(path), Msg: fmt.Sprintf(format, args...)})
}

// top is the file's top mapping: the root's content when the root is the
// document, else the root itself (an empty file).
func (l *loader) top() *yaml.Node {
	if l.root.Kind == yaml.DocumentNode && len(l.root.Content) > 0 {
		return l.root.Content[0]
	}
	return &l.root
}

// line is the line of the key path, or of its nearest ancestor written.
func (l *loader) line(path []string) int {
	n := l.top()
	line := 0
	for _, key := range path {
		next := lookup(n, key)
		if next == nil {
			break
		}
		line, n = next.line, next.value
	}
	return line
}

type keyed struct {
	line  int
	value *yaml.Node
}

// KeyLine is the line of the file where the key path (e.g. "crm",
// "pipedrive", "lead_id_field") is written; 0 when the file does not write
// it (a default applies) or the configuration was not read from a file.
func (c *Config) KeyLine(path ...string) int {
	if c == nil || c.root == nil {
		return 0
	}
	n := c.root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, key := range path {
		next := lookup(n, key)
		if next == nil {
			return 0
		}
		line, n = next.line, next.value
	}
	return line
}

func lookup(n *yaml.Node, key string) *keyed {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return &keyed{line: n.Content[i].Line, value: n.Content[i+1]}
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(key); err == nil && i >= 0 && i < len(n.Content) {
			return &keyed{line: n.Content[i].Line, value: n.Content[i]}
		}
	}
	return nil
}

var (
	unknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type (\S+)$`)
	lineMsg      = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	// duplicateKey is yaml's refusal of a key given twice in one mapping,
	// which it then decodes none of.
	duplicateKey = regexp.MustCompile(`^mapping key "((?:[^"\\]|\\.)*)" already defined at line (\d+)$`)
)

// parse reads the document into l.root with ${NAME} expanded in its
// values (expandNode) and returns the text whose keys are checked. A
// ${NAME} in a flow collection ([${A}, ${B}]) is YAML only once expanded:
// such a file is expanded as text before it is parsed, as syncd always
// did. False when the file is not YAML.
func (l *loader) parse(raw []byte) ([]byte, bool) {
	if yaml.Unmarshal(raw, &l.root) == nil {
		l.expandNode(&l.root)
		return raw, true
	}
	text := l.expandText(raw)
	l.root = yaml.Node{}
	if err := yaml.Unmarshal(text, &l.root); err != nil {
		line, msg := yamlpos.Syntax(err.Error(), text)
		l.add(line, "%s", msg)
		return nil, false
	}
	return text, true
}

// unknownKeys adds a problem for each key in src that no setting has, and
// says whether there was one. The text is decoded for them, strictly (a
// node cannot be); its values, which may still hold ${NAME}, are decoded
// from the expanded node.
func (l *loader) unknownKeys(src []byte) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	var te *yaml.TypeError
	if err := dec.Decode(&Config{}); !errors.As(err, &te) {
		return
	}
	for _, m := range te.Errors {
		if sub := unknownField.FindStringSubmatch(m); sub != nil {
			n, _ := strconv.Atoi(sub[1])
			l.add(n, "unknown key %q%s", sub[2], didYouMean(sub[2], sub[3]))
			meant := suggest.Nearest(sub[2], keysByType[sub[3]])
			if meant == "" && sub[3] == "config.Config" { // a key out of its section: that section
				meant = homeSection(sub[2])
			}
			l.doubt(n, sub[2], meant)
		}
	}
}

// decodeError turns the errors of decoding the expanded document (wrong
// types, keys given twice) into problems with lines.
func (l *loader) decodeError(err error) {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		if sub := lineMsg.FindStringSubmatch(m); sub != nil {
			n, _ := strconv.Atoi(sub[1])
			if d := duplicateKey.FindStringSubmatch(sub[2]); d != nil {
				key, _ := strconv.Unquote(`"` + d[1] + `"`)
				if path := l.pathAt(n, d[1]); len(path) > 0 {
					key = strings.Join(path, ".")
				}
				l.add(n, "key %q given twice (first at line %s): give each key once (merge the two, or delete one): "+
					"none of the settings beside them is read until then", key, d[2])
				l.doubtMapping(n, d[1])
				continue
			}
			if words := l.typeWords(n, sub[2]); words != "" {
				l.add(n, "%s", words)
			} else {
				l.add(n, "%s", sub[2])
			}
			l.doubt(n, "", "")
		} else {
			l.add(0, "%s", strings.TrimPrefix(m, "yaml: "))
			l.doubt(0, "", "")
		}
	}
}

// overrides applies SYNCD_LISTEN and SYNCD_DATA_DIR.
func (l *loader) overrides(cfg *Config) {
	if v := l.env("SYNCD_LISTEN"); v != "" {
		l.shellListen(v)
		cfg.Listen = v
	}
	if v := l.env("SYNCD_DATA_DIR"); v != "" {
		if cfg.DataDir != "" && !sameDir(cfg.DataDir, v) {
			cfg.FileDataDir = cfg.DataDir
		}
		l.overridden(cfg.DataDir, v)
		cfg.DataDir = v
	}
}

// overridden warns when SYNCD_DATA_DIR (env) overrides a data_dir the
// file gives (file) with another directory: the systemd unit sets it, so
// a data_dir edited alone (the data moved) is not where the daemon looks,
// while the commands run from a shell without it look there.
func (l *loader) overridden(file, env string) {
	if file == "" || sameDir(file, env) {
		return
	}
	l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line([]string{"data_dir"}), Msg: fmt.Sprintf(
		"data_dir %s is not used: SYNCD_DATA_DIR=%s overrides it (the systemd unit sets it); commands run without "+
			"SYNCD_DATA_DIR look in %s: give both the same directory (data_dir, or the unit's SYNCD_DATA_DIR with "+
			"systemctl edit)", file, env, file)})
}

// sameDir reports whether the paths a and b name the same directory: the
// same path, or one directory reached two ways (a symbolic link).
func sameDir(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA == nil && errB == nil && absA == absB {
		return true
	}
	stA, errA := os.Stat(a)
	stB, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(stA, stB)
}

// secretPath resolves a secret file: absolute as given; relative, against
// $CREDENTIALS_DIRECTORY when systemd provides one, else against the
// configuration file's directory.
func (l *loader) secretPath(p string) string { return SecretPath(l.file, p, l.env) }

// secretOpened is the secret file p as syncd opens it, absolute, as
// messages name it: a relative p beside a relative -config path was said
// relative to a working directory the message does not name
// (conf/hs-token), where status and the other file messages say the
// absolute path.
func (l *loader) secretOpened(p string) string {
	read := l.secretPath(p)
	if abs, err := filepath.Abs(read); err == nil {
		return abs
	}
	return read
}

// SecretPath is the file Load reads the secret file p from, for the
// configuration file: p itself when absolute; relative, in
// $CREDENTIALS_DIRECTORY when getenv has it (systemd's LoadCredential=),
// else beside the configuration file.
func SecretPath(file, p string, getenv func(string) string) string {
	if filepath.IsAbs(p) {
		return p
	}
	if dir := getenv("CREDENTIALS_DIRECTORY"); dir != "" {
		return filepath.Join(dir, p)
	}
	return filepath.Join(filepath.Dir(file), p)
}

// readSecret reads one secret file, trimming the trailing newline editors
// add. A file it cannot read, or an empty one, is one problem, at its
// line; the secret is then "" and nothing else is said of it (noSecret).
// A token or a password is one line: a file of two (a second token, a
// note) is refused, where it was sent whole, and refused by the CRM
// (invalid header field value) or the mail server after a validate that
// passed. Not read at all for LoadWithoutSecrets: see readNeeded.
func (l *loader) readSecret(path []string, p string) string {
	if l.noSecrets {
		l.noSecret(path)
		return ""
	}
	s := l.readNeeded(path, p)
	if strings.ContainsAny(s, "\r\n") {
		l.at(path, "%s: secret file %s holds more than one line: it holds the secret alone, on one line "+
			"(another token goes in a file of its own, each listed in token_files:)", secretSetting(path), l.secretOpened(p))
		l.noSecret(path)
		return ""
	}
	return s
}

// readNeeded is readSecret for a secret every command needs (the store's
// DSN), read by LoadWithoutSecrets too.
func (l *loader) readNeeded(path []string, p string) string {
	b, err := os.ReadFile(l.secretOpened(p)) // its errors name it so
	if err != nil {
		missing := errors.Is(err, fs.ErrNotExist)
		if cut := l.cut[strings.Join(path, ".")]; cut != "" && missing {
			l.at(path, "%s: read secret: %v: %s", secretSetting(path), writable.ExplainRead(err), cut)
		} else if h := shellPath(p, "where the file was looked for"); h != "" && missing { // ~/hubspot-token: not the home directory's
			l.at(path, "%s: read secret: %v: %s", secretSetting(path), writable.ExplainRead(err), h)
		} else {
			l.at(path, "%s: read secret: %v%s%s", secretSetting(path), writable.ExplainRead(err), l.credentialNote(p, missing),
				l.outsideSystemd(p, missing))
		}
		l.noSecret(path)
		return ""
	}
	if utf16Text(b) {
		l.at(path, "%s: secret file %s is UTF-16 text (\"Unicode\", as Notepad or PowerShell may save it): save it as UTF-8",
			secretSetting(path), l.secretOpened(p))
		l.noSecret(path)
		return ""
	}
	s := SecretText(b)
	if l.sums == nil {
		l.sums = map[string][32]byte{}
	}
	l.sums[l.secretPath(p)] = sha256.Sum256([]byte(s)) // of these bytes: the file may be written again at once
	if s == "" {
		l.at(path, "%s: secret file %s is empty%s", secretSetting(path), l.secretOpened(p), l.credentialNote(p, true))
		l.noSecret(path)
	}
	l.exposedFile(path, p)
	return s
}

// secretSetting names the setting at path that names a secret file as the
// reference does, dotted (crm.hubspot.token_file); an entry of a list by
// the list's key and its place counted from 1, as lines are
// (sources.lb.token_files entry 2).
func secretSetting(path []string) string {
	if n := len(path); n > 1 {
		if i, err := strconv.Atoi(path[n-1]); err == nil {
			return fmt.Sprintf("%s entry %d", strings.Join(path[:n-1], "."), i+1)
		}
	}
	return strings.Join(path, ".")
}

// SecretText is the secret a secret file's content holds: without the
// trailing line end editors add, nor the UTF-8 byte order mark Notepad
// and PowerShell may begin the file with, which no secret holds (it was
// sent as the token's first bytes, and refused as a wrong token).
func SecretText(raw []byte) string {
	return strings.TrimRight(strings.TrimPrefix(string(raw), "\ufeff"), "\r\n")
}

// utf16Text reports whether raw begins with a UTF-16 byte order mark.
func utf16Text(raw []byte) bool {
	return bytes.HasPrefix(raw, []byte{0xFF, 0xFE}) || bytes.HasPrefix(raw, []byte{0xFE, 0xFF})
}

// credentialNote says, of a relative secret file p read from systemd's
// $CREDENTIALS_DIRECTORY that is missing or empty (missing), where its
// content comes from: the syncd units give a blank credential when the
// file their LoadCredential= line names is missing, and none at all for a
// name they have no such line for.
func (l *loader) credentialNote(p string, missing bool) string {
	if !missing || filepath.IsAbs(p) || l.env("CREDENTIALS_DIRECTORY") == "" {
		return ""
	}
	return ": under systemd it is the credential a LoadCredential=" + p + ":FILE line of the unit copies there " +
		"(syncd.service reads /etc/syncd/credentials/" + p + ", syncd@NAME /etc/syncd/credentials/NAME/" + p +
		"): put the secret in that file, or add the line with systemctl edit, then restart"
}

// outsideSystemd says, of a relative secret file p missing beside the
// configuration file where $CREDENTIALS_DIRECTORY is not set (a command run
// from a shell), where syncd looked and why, and names the credential the
// installed units read when it is there: /etc/syncd/credentials/p beside
// /etc/syncd/syncd.yaml, /etc/syncd/credentials/NAME/p beside NAME.yaml.
func (l *loader) outsideSystemd(p string, missing bool) string {
	if !missing || filepath.IsAbs(p) || l.env("CREDENTIALS_DIRECTORY") != "" {
		return ""
	}
	note := " (a relative secret file is read from $CREDENTIALS_DIRECTORY, which is not set here, else beside the configuration file)"
	dir := filepath.Dir(l.file)
	name := strings.TrimSuffix(filepath.Base(l.file), filepath.Ext(l.file))
	for _, creds := range []string{filepath.Join(dir, "credentials"), filepath.Join(dir, "credentials", name)} {
		st, err := os.Stat(filepath.Join(creds, p))
		switch {
		case err == nil && st.Mode().IsRegular():
			return note + ": the service reads it from " + filepath.Join(creds, p) +
				": run the command as the service sees it, CREDENTIALS_DIRECTORY=" + shellescape.Quote(creds) + " syncd ..."
		case errors.Is(err, fs.ErrPermission): // root's only, as the install guide makes it
			return note + ": the service's credentials in " + creds + " cannot be read by this user: " +
				"run the command as root, CREDENTIALS_DIRECTORY=" + shellescape.Quote(creds) + " syncd ..."
		}
	}
	return note
}

// noSecret notes that the secret file at path said what was wrong with it.
func (l *loader) noSecret(path []string) {
	if l.failed == nil {
		l.failed = map[string]bool{}
	}
	l.failed[strings.Join(path, ".")] = true
}

// secretFailed reports whether the secret file at path was missing or
// empty, which readSecret said.
func (l *loader) secretFailed(path ...string) bool { return l.failed[strings.Join(path, ".")] }

// secrets fills tokens and passwords from their files.
func (l *loader) secrets(cfg *Config) {
	for _, name := range cfg.SourceNames() {
		src := cfg.Sources[name]
		for i, f := range src.TokenFiles {
			src.Tokens = append(src.Tokens, l.readSecret([]string{"sources", name, "token_files", strconv.Itoa(i)}, f))
		}
		if f := src.BasicAuth.PasswordFile; f != "" {
			src.BasicAuth.Password = l.readSecret([]string{"sources", name, "basic_auth", "password_file"}, f)
		}
		cfg.Sources[name] = src
	}
	if f := cfg.CRM.HubSpot.TokenFile; f != "" && cfg.CRM.Kind == "hubspot" {
		cfg.CRM.HubSpot.Token = l.readSecret([]string{"crm", "hubspot", "token_file"}, f)
	}
	if f := cfg.CRM.Pipedrive.TokenFile; f != "" && cfg.CRM.Kind == "pipedrive" {
		cfg.CRM.Pipedrive.Token = l.readSecret([]string{"crm", "pipedrive", "token_file"}, f)
	}
	if f := cfg.Report.Mail.PasswordFile; f != "" {
		cfg.Report.Mail.Password = l.readSecret([]string{"report", "mail", "password_file"}, f)
	}
}

// SecretSum is the SHA-256 of the secret Load read from the secret file
// at path (as SecretPath names it), trimmed as Load trims it: the hash of
// the very bytes the configuration holds, for a daemon to tell the file
// written since, which reading the file again after Load could not (a
// file written between the two reads). ok is false for a file Load did
// not read.
func (c *Config) SecretSum(path string) (sum [32]byte, ok bool) {
	sum, ok = c.secretSums[path]
	return sum, ok
}

// SecretFiles returns the secret files the configuration reads, as
// written in it (a relative one is read from $CREDENTIALS_DIRECTORY when
// systemd provides one), in the order Load reads them.
func (c *Config) SecretFiles() []string {
	var out []string
	for _, name := range c.SourceNames() {
		src := c.Sources[name]
		out = append(out, src.TokenFiles...)
		if src.BasicAuth.PasswordFile != "" {
			out = append(out, src.BasicAuth.PasswordFile)
		}
	}
	for _, f := range []struct {
		file string
		used bool
	}{
		{c.CRM.HubSpot.TokenFile, c.CRM.Kind == "hubspot"},
		{c.CRM.Pipedrive.TokenFile, c.CRM.Kind == "pipedrive"},
		{c.Report.Mail.PasswordFile, true},
		{c.Store.DSNFile, c.Store.Kind == StorePostgres},
	} {
		if f.file != "" && f.used {
			out = append(out, f.file)
		}
	}
	return out
}
