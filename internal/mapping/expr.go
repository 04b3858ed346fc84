package mapping

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/conf"
	exprfile "github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"github.com/nyaruka/phonenumbers"

	"github.com/syncd-dev/syncd/internal/suggest"
)

// funcs are the helpers expressions may call besides expr's own builtins
// (trim, lower, upper, split, replace, join, hasPrefix, ...). region is the
// default phone region of the rule's source kind, target the CRM ("" where
// only the helpers' names matter).
func funcs(region, target string) []expr.Option {
	str1 := func(f func(string) string) func(...any) (any, error) {
		return func(p ...any) (any, error) { return f(Stringify(p[0])), nil }
	}
	return []expr.Option{
		expr.Function("firstName", str1(func(s string) string { f, _ := SplitName(s); return f }),
			new(func(string) string)),
		expr.Function("lastName", str1(func(s string) string { _, l := SplitName(s); return l }),
			new(func(string) string)),
		expr.Function("phone", str1(func(s string) string { return E164(s, region) }),
			new(func(string) string)),
		expr.Function("phoneIn", func(p ...any) (any, error) {
			return E164(Stringify(p[0]), Stringify(p[1])), nil
		}, new(func(string, string) string)),
		expr.Function("number", func(p ...any) (any, error) { return numberOf(p[0], region) },
			new(func(string) string)),
		expr.Function("numberIn", func(p ...any) (any, error) {
			r := strings.ToUpper(Stringify(p[1]))
			if phonenumbers.GetCountryCodeForRegion(r) == 0 { // "UK" would read 1,500 as 1.5
				return nil, fmt.Errorf("numberIn: unknown region %q: give an ISO 3166 code (GB, DK, DE, ...)", r)
			}
			return numberOf(p[0], r)
		}, new(func(string, string) string)),
		expr.Function("htmlToText", str1(HTMLText), new(func(string) string)),
		expr.Function("portalName", str1(portalName), new(func(string) string)),
		// The address the contact gets, as contactIdentity takes it: a
		// deal named after the email is not named after one left out.
		expr.Function("validEmail", str1(func(s string) string {
			_, email, _, _, _ := contactEmail(s, hubspotEmails(target))
			return email
		}), new(func(string) string)),
		// Its arguments are read whatever they hold (expr calls a helper
		// with each evaluated), but the email and the phone are judged
		// only for a lead without a name: phone() costs some 10 µs. The
		// name is the person's as firstName and lastName read it
		// (personName): without the address typed with it, "Att.:", the
		// company or job title; one that is an address alone, or has no
		// letter, is none: the deal is not named after an address the
		// contact may not have.
		expr.Function("displayName", func(p ...any) (any, error) {
			if name := personName(Stringify(p[0])); name != "" {
				return name, nil
			}
			if _, email, _, _, _ := contactEmail(Stringify(p[1]), hubspotEmails(target)); email != "" {
				return email, nil
			}
			return E164(Stringify(p[2]), region), nil
		}, new(func(any, any, any) string)),
		expr.Function("default", func(p ...any) (any, error) { return DefaultString(p[0], p[1]), nil },
			new(func(string, string) string), new(func(any, any) any)),
		expr.Function("concat", func(p ...any) (any, error) {
			var b strings.Builder
			for _, v := range p {
				b.WriteString(Stringify(v))
			}
			return b.String(), nil
		}, new(func(...any) string)),
		expr.Function("joinNonEmpty", func(p ...any) (any, error) {
			return JoinNonEmpty(Stringify(p[0]), p[1:]...), nil
		}, new(func(string, ...any) string)),
		expr.Function("format", func(p ...any) (any, error) {
			return fmt.Sprintf(Stringify(p[0]), jsonFloats(p[1:])...), nil
		}, new(func(string, ...any) string)),
		expr.Function("formatDate", func(p ...any) (any, error) {
			tz := ""
			if len(p) == 3 {
				tz = Stringify(p[2])
			}
			return FormatDate(p[0], Stringify(p[1]), tz)
		}, new(func(any, string) string), new(func(any, string, string) string)),
		expr.Function("localTime", func(p ...any) (any, error) {
			return LocalTime(p[0], Stringify(p[1]))
		}, new(func(any, string) time.Time)),
		// now would make mapping depend on when it runs: replays and golden
		// files must give the same operations for the same event.
		expr.DisableBuiltin("now"),
		expr.MaxNodes(500),
	}
}

var (
	noFieldRE = regexp.MustCompile(`type (\S+) has no field (\S+)`)
	noNameRE  = regexp.MustCompile(`unknown name (\S+)`)
)

// tokenRE is expr's parser's "unexpected token" message: the kind of
// token and its text.
var tokenRE = regexp.MustCompile(`^unexpected token (\w+)(?:\("(.*)"\))?$`)

// openLiteral is the position (1-based, in characters) of the quote that
// opens a text src never closes, or 0: expr's "literal not terminated"
// names the end of the expression instead. Only on the expression's first
// line.
func openLiteral(src string) int {
	open, q := 0, rune(0)
	escaped := false
	for i, r := range []rune(src) {
		switch {
		case r == '\n' && q == 0:
			return 0
		case q == 0 && (r == '"' || r == '\'' || r == '`'):
			open, q = i+1, r
		case q != 0 && escaped:
			escaped = false
		case q != 0 && q != '`' && r == '\\':
			escaped = true
		case r == q:
			q = 0
		}
	}
	if q == 0 {
		return 0
	}
	return open
}

// arityRE is expr's message for a function given too few or too many
// values.
var arityRE = regexp.MustCompile(`^(not enough|too many) arguments to call (\w+)$`)

// helperUsage is how each of syncd's helpers is called, as
// mappings/README.md writes it.
var helperUsage = map[string]string{
	"firstName": "firstName(s)", "lastName": "lastName(s)", "phone": "phone(s)", "phoneIn": `phoneIn(s, "GB")`,
	"number": "number(s)", "numberIn": `numberIn(s, "DK")`, "default": "default(v, d)", "concat": "concat(a, b, ...)",
	"joinNonEmpty": "joinNonEmpty(sep, a, b, ...)", "format": "format(fmt, a, ...)",
	"formatDate": "formatDate(v, layout[, tz])", "localTime": "localTime(v, tz)", "htmlToText": "htmlToText(s)", "portalName": "portalName(id)",
	"validEmail": "validEmail(s)", "displayName": "displayName(name, email, phone)",
}

// durationRE is expr's message for a text (a payload's time, or
// syncd.received_at) and a duration added or subtracted.
var durationRE = regexp.MustCompile(`^invalid operation: [-+] \(mismatched types (string and time\.Duration|time\.Duration and string)\)$`)

// mixedRE is expr's message for an operator between text and a number.
var mixedRE = regexp.MustCompile(`^invalid operation: \S+ \(mismatched types (string and (int|float64)|(int|float64) and string)\)$`)

// objectRE is expr's message for a group of fields (a Go struct, or a list
// of them) given where one value is wanted, or compared with one.
var objectRE = regexp.MustCompile(`^(?:cannot use (\[\])?(\S+) as argument \(type \w+\) to call (\w+)|` +
	`invalid operation: \S+ \(mismatched types (\[\])?(sender\.\w+) and \w+\))$`)

// objectInWords says, of a group of fields of the payload (envType) given
// where one value is wanted, what it is, in JSON's names rather than Go's,
// and which of its fields may be meant; msg unchanged when it is not such.
func objectInWords(msg string, envType reflect.Type) string {
	m := objectRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	list, name, fn := m[1]+m[4], m[2]+m[5], m[3]
	t := typeNamed(name)
	path := typePath(envType, t, nil)
	if t == nil || len(path) == 0 {
		return msg
	}
	var fields []string
	for n, f := range fieldMaps[t] {
		if n != metaField && f.Type.Kind() != reflect.Struct && f.Type.Kind() != reflect.Slice {
			fields = append(fields, n)
		}
	}
	slices.Sort(fields)
	if len(fields) == 0 {
		return msg
	}
	at, what, give := strings.Join(path, "."), "a group of fields", "one of its fields"
	one := at + "." + fields[0]
	if list != "" {
		what, give, one = "a list of groups of fields", "a field of one of them", at+"[0]."+fields[0]
	}
	wants := "one value is wanted"
	if fn != "" {
		wants = fn + " wants one value"
	}
	return fmt.Sprintf("%s is %s (%s), where %s: give %s, as %s", at, what, strings.Join(fields, ", "), wants, give, one)
}

// inWords says expr's parser's messages, which name its tokens, as what
// to change, for someone new to expressions; expr's words follow in
// parentheses, but Go's names of a payload's parts. envType is the
// payload's type (nil: undocumented).
func inWords(msg string, envType reflect.Type) string {
	if words := objectInWords(msg, envType); words != msg {
		return words
	}
	if msg == "literal not terminated" {
		return "a text in quotes is not closed: the quote here opens one that never ends (" + msg + ")"
	}
	if m := arityRE.FindStringSubmatch(msg); m != nil && helperUsage[m[2]] != "" {
		few := map[string]string{"not enough": "too few", "too many": "too many"}[m[1]]
		return fmt.Sprintf("%s is given %s values: it is called as %s (%s)", m[2], few, helperUsage[m[2]], msg)
	}
	if durationRE.MatchString(msg) {
		return `a text and a duration: a payload's time is text, read it as a time first, as ` +
			`localTime(x, "Europe/Copenhagen").AddDate(0, 0, 14) for 14 days later, or date(x) + duration("2h") (` + msg + ")"
	}
	if mixedRE.MatchString(msg) {
		return `text and a number together: the payload's fields are text, so read one as a number with number(...) ` +
			`to add or compare numbers, or write the number in quotes ("100") to compare texts (` + msg + ")"
	}
	m := tokenRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	var words string
	switch {
	case m[1] == "EOF":
		words = `it ends too soon: a "(" without its ")", a "?" without its ":", or an operator with nothing after it`
	case m[1] == "Bracket" && strings.Contains(")]}", m[2]):
		open := map[string]string{")": "(", "]": "[", "}": "{"}[m[2]]
		words = fmt.Sprintf("a %q with no %q before it", m[2], open)
	case m[1] == "Operator" && m[2] == "=":
		words = `a single "=": to compare, write "=="`
	case m[1] == "Identifier" || m[1] == "String" || m[1] == "Number":
		words = fmt.Sprintf("%q where a comma or an operator is expected: one missing before it?", m[2])
	default:
		return msg
	}
	return words + " (" + msg + ")"
}

// unknownNames rewrites expr's messages about unknown fields and names in
// the operator's words (expr names Go types; the operator knows JSON
// fields), with the field probably meant.
// A name compared with == or != is said to be a text without its quotes
// (unquotedText), src being the expression, a when: if asBool.
func unknownNames(msg, src string, envType reflect.Type, asBool bool) string {
	msg = noFieldRE.ReplaceAllStringFunc(msg, func(m string) string {
		sub := noFieldRE.FindStringSubmatch(m)
		t, name := typeNamed(sub[1]), sub[2]
		written := writtenPrefix(src, name, envType, t)
		field := name // its path as the expression writes it, as a path's problem names it
		if written != nil {
			field = strings.Join(append(slices.Clone(written), name), ".")
		} else if paths := prefixesOf(src, name); len(paths) == 1 { // of a value that has no fields (a text), or a path not known
			field = paths[0] + "." + name
		}
		if hint := meantHint(name, strings.Join(written, "."), t); hint != "" {
			return "unknown field " + quote(field) + hint
		}
		return "unknown field " + quote(field) + fieldsOf(envType, t, written)
	})
	if envType == nil {
		return msg
	}
	return noNameRE.ReplaceAllStringFunc(msg, func(m string) string {
		name := noNameRE.FindStringSubmatch(m)[1]
		if name == "now" {
			return m + " (mapping must give the same operations whenever it runs, for replays: read the event's time, syncd.received_at)"
		}
		if called(src, name) { // a helper misspelt: the operator meant a function
			m = "unknown function " + name
			if near := suggest.Nearest(name, helperNames()); near != "" {
				return m + " (did you mean " + quote(near) + "?)"
			}
			return m + " (the functions are syncd's helpers, listed in mappings/README.md, and expr-lang's own)"
		}
		if hint := elsewhereHint([]string{name}, envType); hint != "" && name != payloadField { // another event type's field
			return m + hint
		}
		if hint := meantHint(name, "", envType); hint != "" { // a field misspelt
			return m + hint
		}
		if hint := unquotedText(src, name, envType, asBool); hint != "" {
			return m + hint
		}
		if hint := nameHint(name, envType); hint != "" {
			return m + hint
		}
		if near := suggest.Nearest(name, helperNames()); near != "" && (len(name) > 5 || strings.EqualFold(near, name)) {
			return m + " (did you mean " + quote(near) + "?)"
		}
		return m
	})
}

// fieldsOf names the fields of struct type t, at path written from
// envType (nil: t's first path from envType), for a field that is none of
// them and near none: the operator sees what there is, in JSON's names.
// "" when t is not found.
func fieldsOf(envType, t reflect.Type, written []string) string {
	path := written
	if path == nil {
		path = typePath(envType, t, nil)
	}
	if t == nil || path == nil {
		return ""
	}
	var names []string
	for n := range fieldMaps[t] {
		if n != metaField {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	where := "the payload"
	if len(path) > 0 {
		where = strings.Join(path, ".")
	}
	return fmt.Sprintf(" (%s has %s)", where, strings.Join(names, ", "))
}

// writtenPrefix is the path src reads the unknown field name from, when
// it leads from envType to struct type t: two paths may lead to one type
// (Lokalebasen's location and requested_location), and the one to name is
// the one written. nil when none is found.
func writtenPrefix(src, name string, envType, t reflect.Type) []string {
	if envType == nil || t == nil {
		return nil
	}
	for _, p := range prefixesOf(src, name) {
		segs := strings.Split(p, ".")
		if f, ok := fieldByTag(envType, metaField); ok && len(segs) == 1 && segs[0] == metaField && f.Type == t {
			return segs // syncd.NAME: syncd's own fields, which walkPath leaves to expressions
		}
		got, ok := walkPath(segs, envType)
		for ok && got.Kind() == reflect.Slice {
			got = got.Elem()
		}
		if ok && got == t {
			return segs
		}
	}
	return nil
}

// prefixesOf are the dotted paths src reads a field name from (payload.client
// of payload.client.nmae), each once, in the order written.
func prefixesOf(src, name string) []string {
	re := regexp.MustCompile(`([A-Za-z_]\w*(?:\.(?:[A-Za-z_]\w*|\d+))*)\.` + regexp.QuoteMeta(name) + `\b`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(src, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// typePath is the path of fields from struct type from to struct type t
// (empty when they are one), nil when t is not in from.
func typePath(from, t reflect.Type, at []string) []string {
	for from != nil && from.Kind() == reflect.Slice {
		from = from.Elem()
	}
	if from == nil || from.Kind() != reflect.Struct || len(at) > 8 {
		return nil
	}
	if from == t {
		return append([]string{}, at...)
	}
	for n, f := range fieldMaps[from] {
		if n == metaField {
			continue
		}
		if p := typePath(f.Type, t, append(at, n)); p != nil {
			return p
		}
	}
	return nil
}

// called reports whether src calls name as a function: name( with no
// field or other name before it.
func called(src, name string) bool {
	re := regexp.MustCompile(`(^|[^\w.])` + regexp.QuoteMeta(name) + `\s*\(`)
	return re.MatchString(src)
}

// helperNames are the functions an expression may call, syncd's helpers
// and expr's own, sorted.
func helperNames() []string {
	c := conf.CreateNew()
	for _, o := range funcs("", "") {
		o(c)
	}
	var names []string
	for n := range c.Functions {
		names = append(names, n)
	}
	for n, f := range c.Builtins {
		if f != nil && !c.Disabled[n] {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// compileExpr compiles src against the environment of the rule's payload
// type (nil: an untyped payload). asBool is for `when:` conditions; extra
// options come after the helpers (and may replace one).
func compileExpr(src string, envType reflect.Type, region, target string, asBool bool, extra ...expr.Option) (*vm.Program, error) {
	opts := append(funcs(region, target), extra...)
	if envType != nil {
		opts = append(opts, expr.Env(reflect.New(envType).Elem().Interface()))
	} else {
		opts = append(opts, expr.Env(map[string]any{metaField: Meta{}}), expr.AllowUndefinedVariables())
	}
	if asBool {
		opts = append(opts, expr.AsBool())
	}
	prog, err := expr.Compile(src, opts...)
	if err != nil {
		msg, _, _ := strings.Cut(err.Error(), "\n")
		pos := ""
		if m := exprPos.FindStringIndex(msg); m != nil { // kept last, where the loader finds it
			msg, pos = strings.TrimSpace(msg[:m[0]]), msg[m[0]:]
		}
		if at := openLiteral(src); msg == "literal not terminated" && at > 0 {
			pos = fmt.Sprintf(" (1:%d)", at) // expr names the end, past the text; the quote that opened it is what to look at
		}
		msg = commaInWords(inWords(quoteHint(unknownNames(msg, src, envType, asBool)), envType), src)
		if asBool {
			msg = noCondition(msg, src)
		}
		return nil, fmt.Errorf("expression: %s%s", msg, pos)
	}
	if err := hostZone(prog); err != nil {
		return nil, err
	}
	if err := regionArgs(prog); err != nil {
		return nil, err
	}
	if err := literalArgs(prog); err != nil {
		return nil, err
	}
	if !asBool {
		if t := prog.Node().Type(); t != nil && !valueType(t) {
			return nil, fmt.Errorf("expression gives %s", notAValue(t))
		}
	}
	return prog, nil
}

// keyInQuotes finds a property's own key (write:, path:, ...) after a
// comma in an expression: written inside its quotes, as
// {expr: 'phone(x), write: add'}, where the quote belongs before the comma.
var keyInQuotes = regexp.MustCompile(`,\s*(write|path|const|expr)\s*:\s*(\w*)`)

// commaInWords says, of expr's message that a "," is out of place in the
// expression src, that a property's key was put inside its quotes, or
// where a comma goes; other messages as they are.
func commaInWords(msg, src string) string {
	const comma = `unexpected token Operator(",")`
	if !strings.HasPrefix(msg, comma) {
		return msg
	}
	if m := keyInQuotes.FindStringSubmatch(src); m != nil {
		return fmt.Sprintf(`%s: is inside the expression's quotes, so it is read as part of it: end the quote before the comma, `+
			`{expr: '%s', %s: %s} (%s)`, m[1], strings.TrimSpace(src[:strings.Index(src, m[0])]), m[1], m[2], comma)
	}
	return `a "," outside the ( ) of a call: values are apart by commas only inside one, as joinNonEmpty(" ", a, b) (` + comma + ")"
}

// noCondition says, of expr's message that a when: (src) gives no
// boolean, how a condition is written; other messages as they are.
func noCondition(msg, src string) string {
	got, ok := strings.CutPrefix(msg, "expected bool, but got ")
	if !ok {
		return msg
	}
	switch got {
	case "string":
		return fmt.Sprintf(`a when: is a condition, true or false, and this gives text: compare it, as '%s == "..."' (%s)`, src, msg)
	case "int", "float64":
		return fmt.Sprintf(`a when: is a condition, true or false, and this gives a number: compare it, as '%s > 0' (%s)`, src, msg)
	}
	return "a when: is a condition, true or false, as 'payload.enquiry.type == \"client\"' (" + msg + ")"
}

// hostZone refuses an expression that reads the zone of the host that
// maps the lead (a time's .Local(), or the zone "Local" given to date,
// timezone, formatDate or localTime): two instances in other zones, or a
// replay run elsewhere, would give other operations for the same event,
// as now() would give other times.
func hostZone(prog *vm.Program) error {
	v, root := &zoneVisitor{}, prog.Node()
	ast.Walk(&root, v)
	if v.at == nil {
		return nil
	}
	loc := (&exprfile.Error{Location: v.at.Location()}).Bind(prog.Source())
	return fmt.Errorf("expression: %s reads the time zone of the host that maps the lead: another host, or a replay "+
		"run elsewhere, would give other operations; name the zone, e.g. localTime(syncd.received_at, \"Europe/Copenhagen\") (%d:%d)",
		v.what, loc.Line, loc.Column+1)
}

// zoneVisitor finds the first place an expression reads the host's zone.
type zoneVisitor struct {
	at   ast.Node
	what string
}

func (v *zoneVisitor) Visit(node *ast.Node) {
	if v.at != nil {
		return
	}
	switch n := (*node).(type) {
	case *ast.MemberNode:
		if p, ok := n.Property.(*ast.StringNode); ok && p.Value == "Local" && n.Node.Type() == reflect.TypeFor[time.Time]() {
			v.at, v.what = n, ".Local()"
		}
	case *ast.BuiltinNode:
		if (n.Name == "date" || n.Name == "timezone") && localArg(n.Arguments) {
			v.at, v.what = n, `the zone "Local"`
		}
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && (id.Value == "formatDate" || id.Value == "localTime") && localArg(n.Arguments) {
			v.at, v.what = n, `the zone "Local"`
		}
	}
}

// regionArgs refuses a region written in an expression, as phoneIn's or
// numberIn's second value, that is no ISO 3166 code: phoneIn(s, "UK")
// gave "" for every number, and the phone was left out of every lead
// without a word.
func regionArgs(prog *vm.Program) error {
	var bad *ast.StringNode
	root := prog.Node()
	ast.Find(root, func(node ast.Node) bool {
		n, ok := node.(*ast.CallNode)
		if !ok || len(n.Arguments) != 2 {
			return false
		}
		id, ok := n.Callee.(*ast.IdentifierNode)
		s, lit := n.Arguments[1].(*ast.StringNode)
		if ok && lit && (id.Value == "phoneIn" || id.Value == "numberIn") &&
			phonenumbers.GetCountryCodeForRegion(strings.ToUpper(s.Value)) == 0 {
			bad = s
			return true
		}
		return false
	})
	if bad == nil {
		return nil
	}
	loc := (&exprfile.Error{Location: bad.Location()}).Bind(prog.Source())
	return fmt.Errorf("expression: %q is no region: %s (%d:%d)", bad.Value, regionHint(bad.Value), loc.Line, loc.Column+1)
}

// regionHint says what to write for region r, a code of no country: the
// United Kingdom's, which people call UK, is GB.
func regionHint(r string) string {
	switch strings.ToUpper(r) {
	case "UK", "GBR", "EN", "ENG":
		return "the United Kingdom's is GB"
	}
	return "write the two letters of ISO 3166 (DK, GB, SE, DE, ...)"
}

// localArg reports whether one of args is the text "Local".
func localArg(args []ast.Node) bool {
	for _, a := range args {
		if s, ok := a.(*ast.StringNode); ok && s.Value == "Local" {
			return true
		}
	}
	return false
}

// compileGiven compiles prog's source again with phone() and phoneIn()
// giving their argument as is (prop.given); nil if it does not compile.
func compileGiven(prog *vm.Program, envType reflect.Type, region, target string) *vm.Program {
	asGiven := func(p ...any) (any, error) { return Stringify(p[0]), nil }
	given, err := compileExpr(prog.Source().String(), envType, region, target, false,
		expr.Function("phone", asGiven, new(func(string) string)),
		expr.Function("phoneIn", asGiven, new(func(string, string) string)))
	if err != nil {
		return nil
	}
	return given
}

// numberOf is number() of v: a JSON number as it is (1234.567 is no
// 1234567 in DK, as text would be), text as people of region write it.
func numberOf(v any, region string) (any, error) {
	switch v := v.(type) {
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return nil, fmt.Errorf("number(%v): no number a CRM holds", v)
		}
		return Stringify(v), nil
	case int64, int:
		return Stringify(v), nil
	}
	return Number(Stringify(v), region)
}

// notAValue says what an expression of type t gives instead of a value,
// and what to write, in JSON's words rather than Go's types.
func notAValue(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return `a list, want a single value: join it (join(x, ", ")) or take one (x[0])`
	case reflect.Struct, reflect.Map:
		return "an object, want a single value: one of its fields"
	case reflect.Func:
		return "a function, want a single value: call it"
	}
	return "a " + t.String() + ", want a single value"
}

// valueType reports whether an expression of type t can be a CRM property.
func valueType(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Func, reflect.Chan:
		return false
	case reflect.Struct:
		return t == reflect.TypeFor[time.Time]()
	}
	return true
}
