package mapping

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/vm"
	"github.com/nyaruka/phonenumbers"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/yamlpos"
	"go.yaml.in/yaml/v3"
)

// Option adjusts Load and Parse.
type Option func(*config)

type config struct {
	countries map[syncd.Kind]string
	dealName  string
	target    string
	sources   []syncd.Kind
}

// WithCountry sets the region (ISO 3166 alpha-2) whose numbering plan reads
// phone numbers without a country code from senders of kind. The defaults
// are DK for lokalebasen and GB for eaf.
func WithCountry(kind syncd.Kind, region string) Option {
	return func(c *config) { c.countries[kind] = strings.ToUpper(region) }
}

// WithDealName sets the deal property that holds the deal's name, which
// must be present for a deal to be valid. The default depends on the target:
// "title" for pipedrive, "dealname" otherwise.
func WithDealName(property string) Option {
	return func(c *config) { c.dealName = property }
}

// WithSourceKinds names the sender kinds the configuration has sources
// of: a rule for another kind maps nothing, which Warnings says.
func WithSourceKinds(kinds ...syncd.Kind) Option {
	return func(c *config) { c.sources = append(c.sources, kinds...) }
}

func newConfig(target string, opts []Option) (*config, error) {
	c := &config{countries: map[syncd.Kind]string{}, target: target}
	for _, s := range sender.All() { // each kind's own region, unless an option sets one
		c.countries[s.Kind] = s.Country
	}
	if target == "pipedrive" {
		c.dealName = "title"
	} else {
		c.dealName = "dealname"
	}
	for _, o := range opts {
		o(c)
	}
	for k, r := range c.countries {
		if phonenumbers.GetCountryCodeForRegion(r) == 0 {
			return nil, fmt.Errorf("mapping: unknown phone region %q for %s", r, k)
		}
	}
	return c, nil
}

// Parse reads one mapping file's content; name is what errors and
// operations call the file.
func Parse(name string, data []byte, target string, opts ...Option) (*Rules, error) {
	return build(target, []file{{name: name, data: data}}, opts)
}

type file struct {
	name string
	data []byte
	// tooBig says why the file is not parsed: larger than a mapping
	// file, data holding only its start; "" for a file to parse.
	tooBig string
}

func build(target string, files []file, opts []Option) (*Rules, error) {
	c, err := newConfig(target, opts)
	if err != nil {
		return nil, err
	}
	rs := &Rules{target: target, dealName: c.dealName, byEvent: map[schemaKey][]*rule{}, names: map[schemaKey][]string{}, sources: c.sources}
	var errs LoadErrors
	seen := map[string]*rule{}
	var decls []fieldDecl
	for _, f := range files {
		p := &parser{file: f.name, hash: hashOf(f.data), cfg: c, dealName: c.dealName}
		if f.tooBig != "" {
			errs = append(errs, &LoadError{File: f.name, Msg: f.tooBig})
			continue
		}
		for _, ru := range p.parse(f.data) {
			if prev, dup := seen[ru.name]; dup {
				p.errf(ru.line, ru.name, "duplicate rule name (first at %s:%d): %s", prev.file, prev.line, twice(prev, ru))
				continue
			}
			seen[ru.name] = ru
			rs.rules = append(rs.rules, ru)
			k := schemaKey{ru.kind, ru.event}
			rs.byEvent[k] = append(rs.byEvent[k], ru)
			for _, pr := range slices.Concat(ru.contact, ru.deal) {
				for _, n := range pr.names {
					if !slices.Contains(rs.names[k], n) {
						rs.names[k] = append(rs.names[k], n)
					}
				}
			}
		}
		errs = append(errs, p.errs...)
		decls = append(decls, p.fields...)
		rs.files = append(rs.files, File{Name: f.name, Hash: p.hash, Meaning: meaningOf(f.data, p.hash)})
	}
	var ferrs LoadErrors
	rs.fields, ferrs = mergeFields(decls)
	errs = append(errs, ferrs...)
	rs.markMessages()
	rs.checkModes(&errs)
	errs = append(errs, rs.placeholders()...)
	if len(errs) > 0 {
		errs.sort()
		return nil, errs
	}
	return rs, nil
}

// parser turns one file into rules, collecting errors as it goes.
type parser struct {
	file, hash string
	cfg        *config
	dealName   string
	errs       LoadErrors
	fields     []fieldDecl
	lines      []string // the file's, to say where in a line an expression is wrong
}

// colonAtRE is yamlpos's message for a colon in a value not in quotes.
var colonAtRE = regexp.MustCompile(`^a colon and a blank in a value not in quotes, at column (\d+),`)

// propertyLineRE is a line "key: value" of a block, the value not a {...}.
var propertyLineRE = regexp.MustCompile(`^(\s*)([^\s:#{}\[\]]+):\s+([^{\s].*?)\s*$`)

// withoutBraces says, of a line YAML refused for a colon in its value
// (msg, yamlpos's words), where that colon ends one of a property's own
// keys written without the braces around them (company:
// payload.client.company, write: create; phone: expr: '...'), how the
// value is written in braces; "" for another line.
func (p *parser) withoutBraces(line int, msg string) string {
	m := colonAtRE.FindStringSubmatch(msg)
	if m == nil || line < 1 || line > len(p.lines) {
		return ""
	}
	text := []rune(strings.TrimRight(p.lines[line-1], "\r"))
	col, _ := strconv.Atoi(m[1])
	if col < 2 || col > len(text) || text[col-1] != ':' {
		return ""
	}
	before := strings.TrimRight(string(text[:col-1]), " ")
	key := before[strings.LastIndexAny(before, " ,{")+1:]
	pm := propertyLineRE.FindStringSubmatch(string(text))
	if !slices.Contains(valueKeys, key) || pm == nil {
		return ""
	}
	value := pm[3]
	if !slices.ContainsFunc(valueKeys[:3], func(k string) bool { return strings.HasPrefix(value, k+":") }) {
		value = "path: " + value // a bare path, then its write:
	}
	return fmt.Sprintf("%s: is one of a property's own keys (%s), which go in braces: write %s: {%s}",
		key, strings.Join(valueKeys, ", "), pm[2], value)
}

func (p *parser) errf(line int, rule, format string, args ...any) {
	p.errs = append(p.errs, &LoadError{File: p.file, Line: line, Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) parse(data []byte) []*rule {
	p.lines = yamlpos.Lines(data)
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := yamlpos.Syntax(err.Error(), data)
		if braced := p.withoutBraces(line, msg); braced != "" {
			msg = braced
		}
		p.errf(line, "", "%s", msg)
		return nil
	}
	if len(doc.Content) == 0 {
		p.errf(0, "", "%s", emptyFile(data))
		return nil
	}
	if !p.oneDocument(data) {
		return nil
	}
	if p.typographicQuotes(doc.Content[0]) { // the rest would be errors about the quotes again
		return nil
	}
	if p.tagged(doc.Content[0]) { // the rest would be errors about what is left of the values
		return nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.SequenceNode {
		p.errf(root.Line, "", "the file is a list, with no rules: above it: %s", fileShape)
		return nil
	}
	if root.Kind != yaml.MappingNode {
		p.errf(root.Line, "", "want a mapping with rules, got %s", kindName(root))
		return nil
	}
	if keys, line := ruleKeysIn(root); len(keys) > 0 && !hasKey(root, "rules") {
		p.errf(line, "", "a rule's keys (%s) at the margin, with no rules: and \"- \" above them: %s", strings.Join(keys, ", "), fileShape)
		return nil
	}
	var rules []*rule
	for _, kv := range p.pairs(root, "") {
		switch kv.key.Value {
		case "fields":
			p.fieldsBlock(kv.val)
		case "rules":
			if keys, _ := ruleKeysIn(kv.val); len(keys) > 0 {
				p.errf(kv.val.Line, "", "rules: holds a rule without its \"-\": %s", fileShape)
				continue
			}
			if kv.val.Kind != yaml.SequenceNode {
				p.errf(kv.val.Line, "", "rules: want a list, got %s", kindName(kv.val))
				continue
			}
			for i, n := range kv.val.Content {
				if ru := p.rule(i+1, n); ru != nil {
					rules = append(rules, ru)
				}
			}
		default:
			p.errf(kv.key.Line, "", "unknown key %q (%s)", kv.key.Value, keysHint(kv.key.Value, []string{"rules", "fields"}, "rules or fields"))
		}
	}
	if len(rules) == 0 && len(p.fields) == 0 && len(p.errs) == 0 {
		p.errf(root.Line, "", "no rules")
	}
	return rules
}

// emptyFile says what is wrong with a file holding no YAML: empty, or
// only comments (rules commented out to switch them off), and what to do.
func emptyFile(data []byte) string {
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))) == 0 {
		return "empty file: want a mapping with rules"
	}
	return "only comments, no rules: to switch a file's rules off, move the file out of the mapping folder"
}

// oneDocument reports a YAML document after the first (after a ---
// line): the rules are read from the first only, so its rules would
// silently never load.
func (p *parser) oneDocument(data []byte) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	_ = dec.Decode(&doc) // the first, read already
	for {
		err := dec.Decode(&doc)
		switch {
		case errors.Is(err, io.EOF):
			return true
		case err != nil:
			line, msg := yamlpos.Syntax(err.Error(), data)
			p.errf(line, "", "%s", msg)
			return false
		case len(doc.Content) > 0 && doc.Content[0].Tag != "!!null": // not just --- and comments
			p.errf(doc.Line, "", "a second YAML document (---) begins here, and only a file's first is read: move its rules into the first one's rules: list, or into a file of their own")
			return false
		}
	}
}

type pair struct{ key, val *yaml.Node }

// pairs lists a mapping's entries, reporting duplicate and non-string keys.
func (p *parser) pairs(n *yaml.Node, rule string) []pair {
	var out []pair
	seen := map[string]int{} // the line each key is first given on
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errf(k.Line, rule, "want a name as key, got %s", kindName(k))
			continue
		}
		if k.Tag == "!!merge" { // not followed, as aliases are not
			p.errf(k.Line, rule, "%s", yamlpos.MergeKey)
			continue
		}
		if first, twice := seen[k.Value]; twice { // a line copied and not renamed: which would count?
			p.errf(k.Line, rule, "key %q given twice (first on line %d): keep one", k.Value, first)
			continue
		}
		if col, what := oddBlank(k.Value); what != "" {
			p.errf(k.Line, rule, "key %q: %s at column %d, which YAML keeps as part of the name (pasted from a web page or a mail?): type a plain space, or none",
				k.Value, what, k.Column+col)
			continue
		}
		seen[k.Value] = k.Line
		out = append(out, pair{k, v})
	}
	return out
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode: // anchors are not followed: one rule's change would silently change another's
		return fmt.Sprintf("an alias (*%s): YAML anchors and aliases are not supported, write the value out", n.Value)
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}

// scalar returns n's text, reporting an error when n is not a scalar.
func (p *parser) scalar(n *yaml.Node, rule, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errf(n.Line, rule, "%s: want a value, got %s", what, kindName(n))
		return "", false
	}
	return n.Value, true
}

func (p *parser) rule(index int, n *yaml.Node) *rule {
	id := fmt.Sprintf("#%d", index)
	if n.Kind != yaml.MappingNode {
		p.errf(n.Line, id, "want a mapping, got %s", kindName(n))
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 { // name first, so that every error can carry it
		if k, v := n.Content[i], n.Content[i+1]; k.Value == "name" && v.Kind == yaml.ScalarNode && v.Tag != "!!null" && v.Value != "" {
			id = v.Value
		}
	}
	ru := &rule{name: id, file: p.file, hash: p.hash, line: n.Line}
	b := p.ruleKeys(n, ru)
	before := len(p.errs) // a key's errors do not stop the blocks': validate lists every problem
	if !p.ruleWhole(n, ru, b) {
		return nil
	}
	ru.envType = payloadTypes[schemaKey{ru.kind, ru.event}]
	ru.region = p.cfg.countries[ru.kind]
	if b.when != nil {
		if s, ok := p.scalar(b.when, id, "when"); ok {
			prog, err := compileExpr(s, ru.envType, ru.region, p.cfg.target, true)
			if err != nil {
				line, msg := p.exprAt(err, b.when)
				p.errf(line, id, "when: %s", msg)
			}
			ru.when, ru.whenPlaces = prog, p.places(b.when)
		}
	}
	if b.contact != nil {
		p.ruleContact(ru, b)
	}
	if b.deal != nil {
		p.ruleDeal(ru, b.deal)
	}
	if len(p.errs) > before {
		return nil
	}
	return ru
}

// ruleBlocks are a rule's nodes read after its keys: its when:, contact:
// and deal:.
type ruleBlocks struct{ when, contact, deal *yaml.Node }

// ruleKeys reads the keys of the rule n into ru, and returns its blocks.
func (p *parser) ruleKeys(n *yaml.Node, ru *rule) ruleBlocks {
	id := ru.name
	var b ruleBlocks
	for _, kv := range p.pairs(n, id) {
		switch kv.key.Value {
		case "name", "description":
			p.scalar(kv.val, id, kv.key.Value)
		case "source":
			if s, ok := p.scalar(kv.val, id, "source"); ok {
				ru.kind, ru.kindLine = syncd.Kind(s), kv.val.Line
				if sender.For(ru.kind) == nil {
					p.errf(kv.val.Line, id, "unknown source kind %q (want %s)", s, strings.Join(sender.Kinds(), " or "))
				}
			}
		case "event":
			if s, ok := p.scalar(kv.val, id, "event"); ok {
				ru.event, ru.eventLine = s, kv.val.Line
			}
		case "when":
			b.when, ru.whenLine = kv.val, kv.val.Line
		case "contact":
			b.contact = kv.val
		case "deal":
			b.deal = kv.val
		default:
			p.errf(kv.key.Line, id, "unknown key %q (%s)", kv.key.Value, ruleKeysHint(kv.key.Value))
		}
	}
	return b
}

// ruleWhole reports whether the rule n has what every rule needs: a name,
// a source syncd knows, an event and a record to make (errors for what it
// lacks).
func (p *parser) ruleWhole(n *yaml.Node, ru *rule, b ruleBlocks) bool {
	id, before := ru.name, len(p.errs)
	if strings.HasPrefix(id, "#") {
		p.errf(n.Line, id, "rule has no name")
	}
	if ru.kind == "" {
		p.errf(n.Line, id, "missing source (lokalebasen or eaf)")
	}
	if ru.event == "" {
		p.errf(n.Line, id, "missing event (e.g. enquiry_created)")
	}
	if b.contact == nil && b.deal == nil {
		p.errf(n.Line, id, "rule makes no record: want a contact and/or a deal block")
	}
	if b.contact == nil && b.deal != nil {
		p.errf(b.deal.Line, id, "a deal needs a contact block: deals are associated with a contact")
	}
	return len(p.errs) == before && sender.For(ru.kind) != nil
}

// ruleContact reads the rule's contact block: its properties, one of
// which is its email or phone, and none of them the deal's name.
func (p *parser) ruleContact(ru *rule, b ruleBlocks) {
	id, n := ru.name, len(p.errs)
	ru.contact = p.props(b.contact, ru, "contact")
	if len(p.errs) == n && !hasProp(ru.contact, "email") && !hasProp(ru.contact, "phone") {
		p.errf(b.contact.Line, id, "contact: maps neither email nor phone, so it can have no identity: "+
			"add email: (the sender's field of the client's email, as %s) or phone:", senderFields[ru.kind].email)
	}
	if i := slices.IndexFunc(ru.contact, func(v prop) bool { return v.name == p.dealName }); i >= 0 && b.deal == nil {
		// the line deal: deleted: valid YAML, the deal's properties the contact's
		p.errf(ru.contact[i].line, id, "contact.%s: %s is the deal's name, and this rule has no deal: block, so it and "+
			"the deal's other properties are read as the contact's: is a line deal: missing above them?", p.dealName, p.dealName)
	}
}

// ruleDeal reads the rule's deal block: its properties, the deal's name
// among them.
func (p *parser) ruleDeal(ru *rule, deal *yaml.Node) {
	n := len(p.errs)
	ru.deal = p.props(deal, ru, "deal")
	if len(p.errs) == n && !hasProp(ru.deal, p.dealName) {
		how := p.otherCRM(ru.deal)
		if how == "" {
			how = fmt.Sprintf(": add %s:, the name the deal has in the CRM, as %s: {expr: 'joinNonEmpty(\" \", \"Enquiry\", %s)'}",
				p.dealName, p.dealName, senderFields[ru.kind].name)
		}
		p.errf(deal.Line, ru.name, "deal: maps no %s (the deal's name)%s", p.dealName, how)
	}
}

// senderFields are the paths of a client's email and name in each
// sender's leads, for examples in what the loader says.
var senderFields = map[syncd.Kind]struct{ email, name string }{
	syncd.KindLokalebasen: {"payload.client.email", "payload.client.name"},
	syncd.KindEAF:         {"contact_email", "contact_name"},
}

// dealNames are the deal name properties of the CRMs syncd knows.
var dealNames = map[string]string{"hubspot": "dealname", "pipedrive": "title"}

// otherCRM says, for a deal without the target's name property, which
// CRM's name it maps instead, if any: mapping.dir names another CRM's
// files (e.g. after crm.kind was changed).
func (p *parser) otherCRM(deal []prop) string {
	for crm, name := range dealNames {
		if name != p.dealName && hasProp(deal, name) {
			return fmt.Sprintf(", but %s, a %s deal's name: does mapping.dir hold another CRM's mapping files?", name, crm)
		}
	}
	return ""
}

func hasProp(ps []prop, name string) bool {
	return slices.ContainsFunc(ps, func(p prop) bool { return p.name == name })
}

// props compiles a contact or deal block: CRM property name -> value.
func (p *parser) props(n *yaml.Node, ru *rule, block string) []prop {
	if n.Kind == yaml.MappingNode && len(n.Content) == 0 || n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		p.errf(n.Line, ru.name, "%s", emptyBlock(block, ru.envType))
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.errf(n.Line, ru.name, "%s: want a mapping of CRM property names to values, got %s", block, kindName(n))
		return nil
	}
	var out []prop
	folded := map[string]*yaml.Node{} // Pipedrive matches names ignoring case
	var prev *yaml.Node               // the property above
	for _, kv := range p.pairs(n, ru.name) {
		name := kv.key.Value
		where := block + "." + name
		if msg := misplacedKey(block, name, prev); msg != "" {
			p.errf(kv.key.Line, ru.name, "%s: %s", where, msg)
			continue
		}
		prev = kv.key
		if !validPropName(name) {
			p.errf(kv.key.Line, ru.name, "%s: bad property name", where)
			continue
		}
		if prev := folded[strings.ToLower(name)]; prev != nil {
			p.errf(kv.key.Line, ru.name, "%s: the same CRM field as %q (line %d): names differing only in case are one field, so which value it got would be chance; keep one",
				where, prev.Value, prev.Line)
			continue
		}
		folded[strings.ToLower(name)] = kv.key
		if other := otherBlock(block); name == other && kv.val.Kind == yaml.ScalarNode && kv.val.Tag == "!!null" {
			// deal: indented as far as the contact's properties: YAML reads
			// it as a contact property with no value, the deal's
			// properties below it as the contact's, and the rule has no deal.
			p.errf(kv.key.Line, ru.name, "%s: %s: is indented under %s:, so this rule has no %s and the properties below it "+
				"are read as the %s's: move %s: out to the column of %s:", where, other, block, other, block, other, block)
			continue
		}
		if v, ok := p.value(kv.val, ru, where); ok {
			v.name, v.line = name, kv.key.Line
			if where == "contact.phone" && v.prog != nil {
				v.given = compileGiven(v.prog, ru.envType, ru.region, p.cfg.target)
			}
			out = append(out, v)
		}
	}
	return out
}

// misplacedKey says where syncd's own key name belongs when it is indented
// as a property of block (valid YAML, read as a CRM property "when" or
// "write"), prev being the property above it (nil: none); "" for a
// property name. No CRM has such a property.
func misplacedKey(block, name string, prev *yaml.Node) string {
	switch {
	case name == "when":
		return fmt.Sprintf("when: belongs to the rule, not to its %s: move it out to the column of %s:", block, block)
	case slices.Contains(valueKeys, name):
		msg := fmt.Sprintf("%s: is indented as a property of the %s: indent it under the property it is for", name, block)
		if prev != nil {
			msg += fmt.Sprintf(" (%s:, line %d)", prev.Value, prev.Line)
		}
		if name == "write" {
			msg += ", in line with its path, const or expr"
		}
		return msg
	}
	return ""
}

// otherBlock is the rule's other block beside block (contact, deal).
func otherBlock(block string) string {
	if block == "contact" {
		return "deal"
	}
	return "contact"
}

// value reads one property value: a string is a JSON path, a number,
// boolean or date a constant (as written), or a mapping with exactly one
// of path, const, expr.
func (p *parser) value(n *yaml.Node, ru *rule, where string) (prop, bool) {
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!!str":
		return p.pathProp(n, ru, where, n.Value, true)
	case n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float" || n.Tag == "!!bool" || n.Tag == "!!timestamp"):
		return prop{constant: n.Value}, true
	case n.Kind != yaml.MappingNode:
		p.errf(n.Line, ru.name, "%s: want a path, a constant or {path|const|expr: ...}, got %s", where, kindName(n))
		return prop{}, false
	}
	kvs, mode, ok := p.writeMode(p.pairs(n, ru.name), ru, where)
	if !ok {
		return prop{}, false
	}
	if len(kvs) != 1 {
		p.errf(n.Line, ru.name, "%s: want exactly one of path, const, expr", where)
		return prop{}, false
	}
	v, ok := p.source(kvs[0], ru, where)
	v.mode = mode
	return v, ok
}

// source reads the path, const or expr entry of a property's mapping.
func (p *parser) source(kv pair, ru *rule, where string) (prop, bool) {
	if !slices.Contains(valueKeys[:3], kv.key.Value) {
		p.errf(kv.key.Line, ru.name, "%s: unknown key %q (%s)", where, kv.key.Value, keysHint(kv.key.Value, valueKeys, "path, const, expr or write"))
		return prop{}, false
	}
	s, ok := p.scalar(kv.val, ru.name, where+"."+kv.key.Value)
	if !ok {
		return prop{}, false
	}
	switch kv.key.Value {
	case "path":
		return p.pathProp(kv.val, ru, where, s, false)
	case "const":
		return prop{constant: s}, true
	default: // expr
		prog, err := compileExpr(s, ru.envType, ru.region, p.cfg.target, false)
		if err != nil {
			line, msg := p.exprAt(err, kv.val)
			p.errf(line, ru.name, "%s: %s", where, msg)
			return prop{}, false
		}
		return prop{prog: prog, paths: readPaths(prog.Node()), names: namePaths(prog.Node()), places: p.places(kv.val)}, true
	}
}

// pathProp reads a path; bare when it was written as a plain value, which
// an operator may have meant as the text itself.
func (p *parser) pathProp(n *yaml.Node, ru *rule, where, path string, bare bool) (prop, bool) {
	if msg := checkPath(path, ru.envType); msg != "" {
		// No path has a blank: one with dots and a blank is text too.
		if bare && !strings.Contains(msg, "(") && (!strings.Contains(path, ".") || strings.ContainsAny(path, " \t")) {
			text, comment := path, ""
			if c := n.LineComment; strings.HasPrefix(c, "#") && !strings.HasPrefix(c, "# ") { // "Lead #1": YAML took " #1" for a comment
				text, comment = path+" "+c, ", in quotes: YAML reads a blank then # as a comment"
			}
			msg += " (a plain value is a path into the payload: for the text itself write {const: " + yamlText(text) + "}" + comment + ")"
		}
		p.errf(n.Line, ru.name, "%s: bad path %q: %s", where, path, msg)
		return prop{}, false
	}
	return prop{path: path, isPath: true}, true
}

// rule is one compiled mapping rule.
type rule struct {
	name, file, hash string
	line, eventLine  int
	kindLine         int // of source:
	whenLine         int // 0 without when:
	kind             syncd.Kind
	event            string
	envType          reflect.Type // nil for event types without a documented payload
	region           string
	when             *vm.Program
	whenPlaces       []pos // where when:'s characters are in the file, for its failures
	contact, deal    []prop
}

// prop is one compiled property: a path, a constant or an expression.
type prop struct {
	name     string
	isPath   bool
	path     string
	constant string
	prog     *vm.Program
	paths    []string        // the fields prog reads (readPaths)
	names    []string        // the fields prog gives a name helper to read as a name (namePaths)
	mode     syncd.WriteMode // when it is written (write:)
	message  bool            // a message's long text, which keeps its marks (markMessages)
	line     int             // where it is mapped, for errors
	places   []pos           // where prog's characters are in the file, for its failures
	// given is contact.phone's expression with phone() and phoneIn()
	// giving their argument as is: the text a lead gave, to say that it
	// is no phone number when phone() gives "" for it. nil: no expression.
	given *vm.Program
}
