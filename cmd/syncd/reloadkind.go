package main

import (
	"cmp"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
)

// A crm.kind changed in the configuration is read only at start: the
// running daemon keeps its CRM adapter until a restart. The mapping files
// the edited file names (mapping.dir, whose default follows crm.kind) are
// the new CRM's, which the running adapter cannot send: a reload loaded
// them for the running CRM, and rejected a configuration that syncd
// validate passed and a restart takes, naming every Pipedrive field "not
// a hubspot property type" and saying a restart would hold the mapping.
// Status and the daemon's log of files changed on disk said the same.

// reloadRules loads the mappings a reload of cfg takes in a daemon whose
// CRM is target ("": cfg's) and whose mappings were loaded from the
// folder dir ("": cfg's mapping.dir). When cfg names another CRM than
// target, its mappings are checked as the restart that takes that CRM
// loads them, and the reload goes on with the mappings of dir, for
// target, read with cfg's sources. taken is cfg with the mapping folder
// the rules were loaded from, as the daemon records what it loaded.
func reloadRules(cfg *config.Config, target, dir string) (rules *mapping.Rules, taken *config.Config, err error) {
	if target == "" || target == targetName(cfg) || dir == "" {
		rules, err := loadRules(cfg, cmp.Or(target, targetName(cfg)))
		return rules, cfg, err
	}
	if _, err := loadRules(cfg, targetName(cfg)); err != nil {
		return nil, nil, err // a restart would hold the mapping: the reload is refused as before
	}
	running := *cfg
	running.Mapping.Dir = dir
	rules, err = loadRules(&running, target)
	return rules, &running, err
}

// mappingDirWaits names mapping.dir among the settings a restart takes
// when the reload kept the mapping folder the daemon runs on (taken)
// rather than the one cfg names, the folder of its new CRM.
func mappingDirWaits(cfg, taken *config.Config) []string {
	if abs(cfg.Mapping.Dir) == abs(taken.Mapping.Dir) {
		return nil
	}
	return []string{"mapping.dir"}
}
