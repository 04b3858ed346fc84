package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/suggest"
)

// errNoValue is a flag that takes a value given last, without one.
var errNoValue = errors.New("flag needs a value")

// errFlagForPath is a flag given as the value of a flag that takes a
// file or folder.
var errFlagForPath = errors.New("flag given for a path")

// errStray is an argument given to a command that takes none.
var errStray = errors.New("unexpected argument")

// parseOnlyFlags is parseFlags for a command that takes no positional
// argument: one given ("syncd events list foo", "syncd report 2026-11-28")
// is named on fs's output, with hint (what to give instead) or else the
// way to list the flags, and is an error.
func parseOnlyFlags(fs *flag.FlagSet, args []string, hint string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return nil
	}
	if hint == "" {
		hint = "it takes only flags (" + fs.Name() + " -h lists them)"
	}
	fmt.Fprintf(fs.Output(), "%s: unexpected argument %q: %s\n", fs.Name(), fs.Arg(0), hint)
	return errStray
}

// flagsStatus is the exit status of a command whose flags parseFlags
// refused with err: help asked for prints fs's flags, then lines, on
// stdout, exit 0; a usage error (already named on stderr) prints lines
// on stderr, exit 2.
func (c *cli) flagsStatus(fs *flag.FlagSet, err error, lines ...string) int {
	w, code := c.stderr, exitUsage
	if errors.Is(err, flag.ErrHelp) {
		w, code = c.stdout, exitOK
		fs.SetOutput(w)
		fs.Usage()
	}
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	return code
}

// asksHelp reports whether arg, a flag, is -h, -help or --help and fs
// does not define that name otherwise.
func asksHelp(fs *flag.FlagSet, arg string) bool {
	name := strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-")
	return (name == "h" || name == "help") && fs.Lookup(name) == nil
}

// parseFlags parses args into fs with the flags before, after or between
// the positional arguments, as operators type them (the flag package alone
// stops at the first argument that is not a flag). "--" still ends the
// flags, and the word after a flag that takes a value is its value even
// when it starts with "-". fs.Args() are the positional arguments in order.
// A request for help is flag.ErrHelp, nothing printed: see flagsStatus.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var flags, positional []string
	help := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			positional = append(positional, args[i+1:]...)
			i = len(args)
		case len(a) < 2 || a[0] != '-':
			positional = append(positional, a)
		default:
			help = help || asksHelp(fs, a)
			flags = append(flags, a)
			if takesValue(fs, a) && i+1 == len(args) && !help {
				// Parsed as it is, the "--" below would be its value:
				// "syncd backup -out" wrote a backup named "--".
				fmt.Fprintf(fs.Output(), "%s: %s needs a value (%s -h lists its flags)\n", fs.Name(), a, fs.Name())
				return errNoValue
			}
			if takesValue(fs, a) && !help && flagForPath(fs, a, args[i+1]) {
				return errFlagForPath
			}
			if takesValue(fs, a) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	if help {
		return flag.ErrHelp
	}
	out := fs.Output()
	fs.SetOutput(io.Discard) // the flag package's own words and its whole usage: said below instead
	err := fs.Parse(append(append(flags, "--"), positional...))
	fs.SetOutput(out)
	if err != nil {
		fmt.Fprintf(out, "%s: %s\n", fs.Name(), flagProblem(fs, err))
	}
	return err
}

// pathFlag reports whether the flag name, in any command, takes a file
// or folder.
func pathFlag(name string) bool {
	switch name {
	case "config", "out", "from", "examples":
		return true
	}
	return false
}

// flagForPath reports, and says on fs's output, when value, the word after
// arg (a flag of fs that takes a value), is a flag where arg takes a path:
// "syncd backup -out -h" wrote a backup named "-h", exit 0, and "-config
// -h" read a configuration file of that name. "-" alone is no flag.
func flagForPath(fs *flag.FlagSet, arg, value string) bool {
	name := strings.TrimLeft(arg, "-")
	if !pathFlag(name) || len(value) < 2 || value[0] != '-' {
		return false
	}
	fmt.Fprintf(fs.Output(), "%s: %s needs a path, given the flag %s (%s -h lists its flags; a file whose name starts with \"-\": ./%s)\n",
		fs.Name(), arg, value, fs.Name(), value)
	return true
}

// notDefined is the flag package's refusal of a flag fs does not define.
const notDefined = "flag provided but not defined: "

// flagProblem says what is wrong with the flags fs refused with err, in
// syncd's words, and where the command's flags are listed: an unknown
// flag with the one it probably misspells, -config to a command that
// reads no configuration (fakecrm, version) as such, and a command that
// takes no flags (version) as such rather than pointing at its -h.
func flagProblem(fs *flag.FlagSet, err error) string {
	list := fmt.Sprintf("%s -h lists its flags", fs.Name())
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if len(names) == 0 {
		list = fmt.Sprintf("%s takes no flags", fs.Name())
	}
	name, unknown := strings.CutPrefix(err.Error(), notDefined)
	if !unknown {
		if said, ok := badValue(fs, err); ok {
			return fmt.Sprintf("%s (%s)", said, list)
		}
		return fmt.Sprintf("%v (%s)", err, list)
	}
	if strings.TrimLeft(name, "-") == "config" {
		if len(names) == 0 {
			return fmt.Sprintf("unknown flag %s: %s reads no configuration file and takes no flags", name, fs.Name())
		}
		return fmt.Sprintf("unknown flag %s: %s reads no configuration file, only its own flags (%s)", name, fs.Name(), list)
	}
	if near := suggest.Nearest(strings.TrimLeft(name, "-"), names); near != "" {
		return fmt.Sprintf("unknown flag %s: did you mean -%s? (%s)", name, near, list)
	}
	return fmt.Sprintf("unknown flag %s (%s)", name, list)
}

// takesValue reports whether arg, a flag of fs, takes the next word as its
// value: a flag fs defines, not boolean and not given as -name=value.
func takesValue(fs *flag.FlagSet, arg string) bool {
	name := strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-")
	if strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

// subcommandFirst returns args with the subcommand (the first word that
// isSub accepts) moved to the front when only flags and their values come
// before it, as in "syncd events -config X list": the subcommand parses
// its flags wherever they are. Otherwise args are returned as they are.
// firstWord is the first of args that is neither a flag nor a flag's
// value, as subcommandFirst reads them ("" when there is none): the
// subcommand asked for, when it is no known one.
func firstWord(args []string) string {
	for i, a := range args {
		flagValue := i > 0 && strings.HasPrefix(args[i-1], "-") && !strings.Contains(args[i-1], "=")
		switch {
		case a == "--" && i+1 < len(args):
			return args[i+1]
		case a == "--":
			return ""
		case !strings.HasPrefix(a, "-") && !flagValue:
			return a
		}
	}
	return ""
}

func subcommandFirst(args []string, isSub func(string) bool) []string {
	for i, a := range args {
		if isSub(a) {
			return slices.Concat([]string{a}, args[:i], args[i+1:])
		}
		flagValue := i > 0 && strings.HasPrefix(args[i-1], "-") && !strings.Contains(args[i-1], "=")
		if a == "--" || (!strings.HasPrefix(a, "-") && !flagValue) {
			break
		}
	}
	return args
}

// wrongArgs names, when the flags parsed (err nil) but the arguments are
// not what the command takes, what it takes and what it was given, on
// fs's output: the usage line alone left the operator to guess which.
func wrongArgs(fs *flag.FlagSet, err error, takes string) {
	if err != nil {
		return
	}
	given := "none"
	if fs.NArg() > 0 {
		quoted := make([]string, fs.NArg())
		for i, a := range fs.Args() {
			quoted[i] = fmt.Sprintf("%q", a)
		}
		given = strings.Join(quoted, " ")
	}
	fmt.Fprintf(fs.Output(), "%s: it takes %s; given %s\n", fs.Name(), takes, given)
}

// parseID reads arg as the id of a record for cmd ("events show"). An arg
// that is no number ("#3", "q1") is said on w with the command that lists
// the ids of that kind (lister), false: `"#3" is not an id` alone left the
// operator to find where ids are shown.
func parseID(w io.Writer, cmd, arg, lister string) (int64, bool) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		fmt.Fprintf(w, "syncd %s: %q is not an id: an id is a number, as %s shows them in its ID column\n", cmd, arg, lister)
		return 0, false
	}
	return id, true
}

// badValue rewords the flag package's refusal of a value its own kinds of
// flag do not read (`invalid value "5" for flag -wait: parse error`, which
// said neither what the flag takes nor how to write it): the flag, the
// value and how to write one. Other errors, a flag's own words among
// them (erase -event), are left, false.
func badValue(fs *flag.FlagSet, err error) (string, bool) {
	msg, ok := strings.CutPrefix(err.Error(), "invalid value ")
	outOfRange := strings.HasSuffix(msg, ": value out of range")
	if !ok || (!outOfRange && !strings.HasSuffix(msg, ": parse error")) {
		return "", false
	}
	value, rest, ok := strings.Cut(msg, " for flag -")
	name, _, _ := strings.Cut(rest, ":")
	f := fs.Lookup(name)
	if !ok || f == nil {
		return "", false
	}
	if outOfRange {
		return fmt.Sprintf("-%s %s is out of range", name, value), true
	}
	g, _ := f.Value.(flag.Getter)
	if g == nil {
		return "", false
	}
	switch g.Get().(type) {
	case time.Duration:
		return fmt.Sprintf("-%s %s is not a duration: give one with its unit, such as 90s, 5m or 1h30m", name, value), true
	case int, int64, uint, uint64:
		return fmt.Sprintf("-%s %s is not a whole number: give it in digits", name, value), true
	}
	return "", false
}
