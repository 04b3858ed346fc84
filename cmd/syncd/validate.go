package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/syncd-dev/syncd/internal/mapping"
)

// cmdValidate checks a configuration and its mappings, runs every mapping
// against the example payloads, and exits non-zero listing every problem.
func cmdValidate(_ context.Context, c *cli) int {
	fs := c.flags("validate")
	file := fs.String("config", defaultConfig, "configuration file")
	examples := fs.String("examples", "testdata/webhooks", "example payloads to run the mappings against (skipped if absent)")
	if fs.Parse(c.args) != nil {
		return exitUsage
	}
	cfg, ok := c.loadConfig(*file)
	if !ok {
		return exitUsage
	}
	rules, err := loadRules(cfg, targetName(cfg))
	var les mapping.LoadErrors
	switch {
	case errors.As(err, &les):
		fmt.Fprintf(c.stderr, "mappings in %s: %d problem(s):\n%v\n", cfg.Mapping.Dir, len(les), les)
		return exitUsage
	case err != nil:
		return c.fail(err)
	}
	if les = rules.Placeholders(); len(les) > 0 {
		fmt.Fprintf(c.stderr, "mappings in %s: %d placeholder key(s) left:\n%v\n", cfg.Mapping.Dir, len(les), les)
		return exitUsage
	}
	checked := "no examples"
	if st, err := os.Stat(*examples); err == nil && st.IsDir() {
		if errs := rules.CheckExamples(*examples); len(errs) > 0 {
			fmt.Fprintf(c.stderr, "mappings in %s against %s: %d problem(s):\n%v\n", cfg.Mapping.Dir, *examples, len(errs), errors.Join(errs...))
			return exitUsage
		}
		checked = "examples in " + *examples + " map cleanly"
	}
	fmt.Fprintf(c.stdout, "%s: ok (%d sources, crm %s, %d mapping rules in %s, %s)\n",
		*file, len(cfg.Sources), cfg.CRM.Kind, rules.Len(), cfg.Mapping.Dir, checked)
	return exitOK
}
