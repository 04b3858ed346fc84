package main

import (
	"context"
	"fmt"
)

// cmdValidate checks a configuration and exits non-zero listing every
// problem.
func cmdValidate(_ context.Context, c *cli) int {
	fs := c.flags("validate")
	file := fs.String("config", defaultConfig, "configuration file")
	if fs.Parse(c.args) != nil {
		return exitUsage
	}
	cfg, ok := c.loadConfig(*file)
	if !ok {
		return exitUsage
	}
	fmt.Fprintf(c.stdout, "%s: ok (%d sources, crm %s, mappings %s)\n", *file, len(cfg.Sources), cfg.CRM.Kind, cfg.Mapping.Dir)
	return exitOK
}
