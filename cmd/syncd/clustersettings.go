package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Instances on one database must agree on what a lead becomes and where it
// goes: a token only one of them accepts fails every other delivery the
// load balancer sends there, a mapping makes a lead differ with the
// instance that maps it, and the CRM, the report and the purge follow
// whichever instance leads them. Each instance records a digest of those
// settings with its heartbeat, warns when another's differ, and syncd
// status names the instances whose settings differ.

// settingsAdvice is what to do about settings that differ.
const settingsAdvice = "give every instance the same sources and tokens, mappings, crm, intake.dedup_window, report and retention"

// clusterSettings is the digest of the settings that must agree across
// instances, as recorded in the store: a JSON object of one hash per
// setting (no secret nor address in clear).
func clusterSettings(cfg *config.Config, rules *mapping.Rules) string {
	var files []string
	for _, f := range rules.Files() {
		files = append(files, f.Name, f.Meaning) // a comment edited on one host alone is no difference
	}
	c, r := cfg.CRM, cfg.Report
	set := map[string]string{
		"sources":  digest(sourcesSettings(cfg)...),
		"mappings": digest(files...),
		"crm": digest(c.Kind, c.HubSpot.BaseURL, c.HubSpot.Token, c.HubSpot.HubID, c.HubSpot.LeadIDProperty,
			c.HubSpot.ContactKeyProperty, c.Pipedrive.BaseURL, c.Pipedrive.Token, c.Pipedrive.CompanyID, c.Pipedrive.LeadIDField),
		"intake.dedup_window": digest(cfg.Intake.DedupWindow.String()),
		"report": digest(append([]string{r.Schedule, r.TimeZone, fmt.Sprint(r.KeepDays, r.CatchUpDays), r.Mail.Host,
			fmt.Sprint(r.Mail.Port), r.Mail.From}, sorted(r.Mail.To)...)...),
		"retention": digest(retentionSettings(cfg.Retention)),
	}
	b, _ := json.Marshal(set) // a map of strings always encodes
	return string(b)
}

// retentionSettings is what the retention digest is of: the settings as a
// syncd before retention.erasure_days printed them, and erasure_days when
// it is not the default, so that an upgrade under way is no difference.
func retentionSettings(r config.Retention) string {
	s := fmt.Sprint([]int{r.EventDays, r.QuarantineDays, r.OutboxDays, r.LinkDays})
	s = "{" + s[1:len(s)-1] + "}"
	if r.ErasureDays != config.DefaultErasureDays {
		s += fmt.Sprint(" erasure_days=", r.ErasureDays)
	}
	return s
}

// sourcesSettings lists each source's name and what decides whether a
// delivery to it is accepted and how it maps.
func sourcesSettings(cfg *config.Config) []string {
	var out []string
	for _, name := range cfg.SourceNames() {
		s := cfg.Sources[name]
		out = append(out, name, s.Kind, s.BasicAuth.Username, s.BasicAuth.Password, s.DefaultCountry,
			strings.Join(sorted(s.Tokens), "\x00"), strings.Join(sorted(s.AllowIPs), "\x00"))
	}
	return out
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// digest is a short hash of parts.
func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// settingsDiffer names the settings that differ between two recorded
// digests, sorted; none when either was not recorded (an older syncd).
func settingsDiffer(a, b string) []string {
	var x, y map[string]string
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return nil
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(x)) {
		if v, ok := y[k]; ok && v != x[k] {
			out = append(out, k)
		}
	}
	return out
}

// settingsGrace is how long instances' settings may differ before syncd
// status counts it as needing attention: a reload of each host in turn
// takes less; a host left out (its configuration not copied, its reload
// failed) stays apart for good, refusing the deliveries the load balancer
// sends it or mapping leads its own way.
const settingsGrace = 10 * time.Minute

// settingsLines says, for syncd status, which instances' settings differ
// from those of the first one started, in what and for how long (when
// both recorded when); none when all agree. An instance that runs no
// more (runs: killed, its row staying until it ages out) is left out: the
// host restarted with a changed mapping after a kill -9 was said to
// differ from its own dead run, and named as the odd one out. lasting is whether any pair
// has differed for settingsGrace or more.
func settingsLines(ins []syncd.Instance, now time.Time) (lines []string, lasting bool) {
	first := -1
	for i, in := range ins {
		if in.Settings == "" || !runs(in, now) { // a killed one's settings are no one's
			continue
		}
		if first < 0 {
			first = i
			continue
		}
		diff := settingsDiffer(ins[first].Settings, in.Settings)
		if len(diff) == 0 {
			continue
		}
		line := fmt.Sprintf("settings differ: %s pid %d from %s pid %d in %s", in.Host, in.PID,
			ins[first].Host, ins[first].PID, strings.Join(diff, ", "))
		if a, b := ins[first].SettingsAt, in.SettingsAt; !a.IsZero() && !b.IsZero() {
			d := now.Sub(maxTime(a, b)) // since the later of the two was recorded
			line += " for " + age(d)
			if d >= settingsGrace {
				line += " (over " + age(settingsGrace) + ": NEEDS ATTENTION)"
				lasting = true
			}
		}
		lines = append(lines, line)
	}
	if len(lines) > 0 {
		lines = append(lines, "  "+settingsAdvice)
	}
	return lines, lasting
}

// maxTime is the later of a and b.
func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// settingsCheck is how often an instance compares its settings with the
// others'.
const settingsCheck = 30 * time.Second

// watchSettings warns when another instance's settings differ from this
// one's (once per set of differing settings), and says when they agree
// again, until ctx ends.
func (d *daemon) watchSettings(ctx context.Context) error {
	said := ""
	t := time.NewTimer(2 * heartbeatEvery) // the others' heartbeats are in
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		t.Reset(settingsCheck)
		ins, err := d.db.cluster.Instances(ctx, clusterSeen)
		if err != nil {
			continue // the heartbeat reports the database's failures
		}
		said = d.sayDiffer(ins, said)
	}
}

// heartbeatEvery is how often an instance records its heartbeat.
const heartbeatEvery = 2 * time.Second

// sayDiffer logs which settings of other instances differ from this
// one's, when that is not what it said last (said), counts those instances
// in the metrics, and returns what it says now.
func (d *daemon) sayDiffer(ins []syncd.Instance, said string) string {
	mine := *d.settings.Load()
	var diff []string
	others := 0
	now := time.Now()
	for _, in := range ins {
		if !runs(in, now) { // killed, or cut off: it serves no one
			continue
		}
		if ds := settingsDiffer(mine, in.Settings); len(ds) > 0 {
			diff = append(diff, ds...)
			others++
		}
	}
	slices.Sort(diff)
	diff = slices.Compact(diff)
	d.metrics.SettingsDiffer(others) // an alert's, as status's NEEDS ATTENTION once it lasts
	differ := strings.Join(diff, ",")
	switch {
	case differ == said:
	case differ != "":
		d.log.Warn().Strs("settings", diff).Int("instances", others).
			Msg("settings differ from another instance's on this database: " + settingsAdvice)
	default:
		d.log.Info().Msg("settings agree with every other instance again")
	}
	return differ
}
