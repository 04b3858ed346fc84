package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/syncd-dev/syncd/internal/config"
)

// reservedInstance refuses the state directory of an agency's instance
// named reports or syncd, as cfg's data_dir or as the StateDirectory= of
// the unit serve runs under (STATE_DIRECTORY in env): syncd@reports's,
// /var/lib/syncd/reports, is syncd.service's reports directory, which the
// package makes setgid for the syncd-reports group and systemd resets to
// the unit's own mode and group at each start of the instance, so that
// the group no longer reads the reports written after; syncd@syncd reads
// /etc/syncd/syncd.yaml, syncd.service's file, and syncd's advice names
// syncd.service for it. nil for any other directory.
func reservedInstance(cfg *config.Config, env config.Env) error {
	dirs := []string{cfg.DataDir}
	if env != nil {
		dirs = append(dirs, strings.Split(env("STATE_DIRECTORY"), ":")...)
	}
	for i, d := range dirs {
		if d == "" {
			continue
		}
		a, err := filepath.Abs(d)
		if err != nil || filepath.Dir(a) != stateDirsRoot {
			continue
		}
		what := "data_dir " + a
		if i > 0 {
			what = "this unit's state directory " + a
		}
		instead := "name the agency's instance otherwise: syncd@NAME, its file /etc/syncd/NAME.yaml with data_dir " +
			filepath.Join(stateDirsRoot, "NAME") + " (NAME neither reports nor syncd)"
		switch filepath.Base(a) {
		case "reports":
			fix := ""
			if i > 0 { // systemd has reset it already
				fix = "; systemd-tmpfiles --create syncd.conf gives the directory back its mode and group (chgrp " +
					"syncd-reports the reports written there meanwhile)"
			}
			return fmt.Errorf("%s is syncd.service's reports directory, which the package makes for the syncd-reports "+
				"group: an instance syncd@reports, whose state directory it is, takes it over, systemd resetting its mode "+
				"and group at each start, after which the group no longer reads the reports: %s%s", what, instead, fix)
		case "syncd":
			return fmt.Errorf("%s is the state directory of an instance syncd@syncd, which reads /etc/syncd/syncd.yaml, "+
				"syncd.service's configuration: the two units would run one agency's file, and syncd's advice (systemctl "+
				"restart syncd) names syncd.service: %s", what, instead)
		}
	}
	return nil
}
