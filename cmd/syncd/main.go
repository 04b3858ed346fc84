// Command syncd receives property-portal webhooks, keeps them durably in
// SQLite, maps them into CRM contacts and deals, syncs those to the CRM on a
// schedule and mails a daily Excel report. This package is the only place
// where the parts are wired together.
package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/suggest"
)

// version is set at build time with -ldflags "-X main.version=…"; what
// the binary reports is binaryVersion's (version.go).
var version = "dev"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// cli is what every command gets: its arguments and where to write.
type cli struct {
	name   string // the command as typed, its subcommand too: "backup", "outbox retry", ... (who)
	args   []string
	stdin  io.Reader // erase's and export's -email - and -phone -
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// db is the SQLite database the command opened (withStoreHooks,
	// openDB), which fail names where SQLite found it damaged.
	db string
}

// command runs one subcommand and returns the process exit status.
type command func(ctx context.Context, c *cli) int

// Exit statuses (README, Commands).
const (
	exitOK          = 0
	exitFailure     = 1 // the command could not do its work
	exitUsage       = 2 // bad flags, an invalid configuration or input
	exitNotFound    = 3 // the event, operation or body named does not exist
	exitUnavailable = 4 // the database is busy or unavailable: try again
	exitAttention   = 5 // syncd status: something needs attention; sync: a person must act (token, account, dead operations, anything left with no daemon)
	exitCRMLater    = 6 // sync: not all was sent, and a daemon sends the rest by itself (daily limit, CRM down)
)

func commands() map[string]command {
	return map[string]command{
		"serve":          cmdServe,
		"validate":       cmdValidate,
		"events":         cmdEvents,
		"map":            cmdMap,
		"replay":         cmdReplay,
		"sync":           cmdSync,
		"outbox":         cmdOutbox,
		"report":         cmdReport,
		"status":         cmdStatus,
		"reload":         cmdReload,
		"erase":          cmdErase,
		"export":         cmdExport,
		"backup":         cmdBackup,
		"purge":          cmdPurge,
		"crm":            cmdCRM,
		"fakecrm":        cmdFakeCRM,
		"migrate-store":  cmdMigrateStore,
		"accept-restore": cmdAcceptRestore,
		"version":        cmdVersion,
	}
}

const usage = `usage: syncd <command> [flags]

commands:
  serve          [-fresh] [-wal-lost]                    run the daemon
  validate       [-examples DIR] [-offline] [-mail]      check the configuration and mappings
  events         list|show|repair|dismiss|done           inspect stored events, repair or dismiss quarantined bodies, record unmappable leads dealt with
  map            -source S FILE.json                     print the CRM operations a payload would produce
  replay         [-since T] [-source S] [-dry-run]       re-map stored events
  sync           [-resume]                               drain the outbox to the CRM once, now
  outbox         list|show|retry|give-up|drop            inspect, revive, give up and drop outbox operations
  report         [-date YYYY-MM-DD] [-out FILE [-replace]] [-mail]
                                                         make one day's workbook
  status                                                 the daemon at a glance (exit 5: needs attention)
  reload         [-pid N] [-wait D]                      have the daemon load its configuration and mappings again, and say whether it took them
  erase          -email ADDR | -phone NUMBER [-crm] [-others] | -event ID[,ID...] [-despite-contact] | -name NAME
                                                         erase one person's data, or leads by id (GDPR)
  export         -email ADDR | -phone NUMBER | -name NAME | -event ID[,ID...] [-out FILE] [-format text]
                                                         print one person's data as JSON, or text for them, or a name's leads (GDPR)
  backup         -out FILE                               a consistent copy of the database, while serving
  purge                                                  drop what the retention settings no longer keep, now, and show the oldest kept
  crm            check|setup [-dry-run]|forget-links     check the CRM account against the mappings, set it up, or forget its ids after a move
  fakecrm        -listen ADDR -kind hubspot|pipedrive    run the stand-in CRM for a local trial
  migrate-store  -to postgres [-from syncd.db]           copy the SQLite data into the configured PostgreSQL store
  accept-restore                                         take a database refused for a lost write-ahead log for a restored backup
  version                                                print the version

Every command but fakecrm and version takes -config FILE: on a server, -config /etc/syncd/syncd.yaml;
without it, configs/syncd.example.yaml, the example in a checkout of syncd, read from the working directory.
Flags come after the command, before or after its arguments; "--" ends the flags.

Run "syncd <command> -h" or "syncd help <command>" for a command's flags.
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help": // "syncd help report" and "syncd -h report" are "syncd report -h"
		if len(args) == 1 || args[1] == "help" || strings.HasPrefix(args[1], "-") {
			fmt.Fprint(stdout, usage)
			return exitOK
		}
		return run(append(args[1:], "-h"), stdout, stderr)
	}
	cmds := commands()
	cmd, ok := cmds[args[0]]
	if !ok && (args[0] == "-version" || args[0] == "--version") {
		// what other tools take: "syncd --version" is "syncd version"
		cmd, args = cmds["version"], append([]string{"version"}, args[1:]...)
		ok = true
	}
	if !ok && strings.HasPrefix(args[0], "-") {
		i := slices.IndexFunc(args, func(a string) bool { return cmds[a] != nil })
		for j := i + 1; i > 0 && j < len(args); j++ { // "-config status status": a flag's value is not the command
			if prev := args[i-1]; !strings.HasPrefix(prev, "-") || strings.Contains(prev, "=") {
				break
			}
			if cmds[args[j]] != nil && (!strings.HasPrefix(args[j-1], "-") || strings.Contains(args[j-1], "=")) {
				i = j
				break
			}
		}
		if i > 0 {
			// "syncd -config FILE status": the command comes first
			words := slices.Concat(args[i:], args[:i])
			for j, w := range words {
				words[j] = shellescape.Quote(w)
			}
			fmt.Fprintf(stderr, "syncd: %s before the command: the command comes first, its flags after it: syncd %s\n",
				args[0], strings.Join(words, " "))
			return exitUsage
		}
	}
	if !ok {
		meant := ""
		if m := suggest.Nearest(args[0], slices.Sorted(maps.Keys(cmds))); m != "" {
			meant = fmt.Sprintf(": did you mean %q?", m)
		}
		fmt.Fprintf(stderr, "syncd: unknown command %q%s\n\n%s", args[0], meant, usage)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cmd(ctx, &cli{name: args[0], args: args[1:], stdin: os.Stdin, stdout: terminalSafe(stdout), stderr: stderr, getenv: os.Getenv})
}

// cmdVersion prints "syncd VERSION". It takes no argument and no
// -config: -h is its usage, anything else is named, exit 2.
func cmdVersion(_ context.Context, c *cli) int {
	fs := c.flags("version")
	if err := parseOnlyFlags(fs, c.args, "it takes no argument"); err != nil {
		return c.flagsStatus(fs, err, "prints the version of this syncd binary (syncd VERSION)")
	}
	fmt.Fprintln(c.stdout, "syncd", binaryVersion())
	return exitOK
}
