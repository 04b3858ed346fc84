package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// agencySettings classifies every key of the configuration file for
// otherAgencies, which compares an agency's file with the others beside
// it: "compared" where two agencies must not share it (otherAgencies or
// sharedSettings warns), else why sharing it is harmless. A key added to
// config.Config fails TestEverySettingIsClassifiedForOtherAgencies until
// it is classified here: one that must be each agency's own (a new CRM
// account pin, say) would otherwise pass validate copied.
var agencySettings = map[string]string{
	"agency":                   "compared",
	"listen":                   "compared",
	"metrics.listen":           "compared",
	"data_dir":                 "compared",
	"report.dir":               "compared",
	"report.mail.to":           "compared",
	"sources.NAME.tokens":      "compared (those written in the file)",
	"crm.hubspot.hub_id":       "compared",
	"crm.pipedrive.company_id": "compared",
	"store.kind":               "compared (instances of one PostgreSQL database share it by design: their addresses alone)",

	// Secrets and where they are: the agency's own credentials, not read
	// for another's file; the pins above tell one CRM account shared.
	"sources.NAME.token_files":              "the agency's own credentials, not read",
	"sources.NAME.basic_auth.username":      "a login beside the tokens compared",
	"sources.NAME.basic_auth.password":      "a secret beside the tokens compared",
	"sources.NAME.basic_auth.password_file": "a secret beside the tokens compared",
	"crm.hubspot.token":                     "a secret: the pin (hub_id) tells one account shared",
	"crm.hubspot.token_file":                "the agency's own credential, not read",
	"crm.pipedrive.token":                   "a secret: the pin (company_id) tells one company shared",
	"crm.pipedrive.token_file":              "the agency's own credential, not read",
	"store.dsn":                             "instances of one PostgreSQL database share it by design",
	"store.dsn_file":                        "instances of one PostgreSQL database share it by design",
	"report.mail.password":                  "one mail account may send every agency's reports",
	"report.mail.password_file":             "one mail account may send every agency's reports",

	// Alike in agencies' files, and harmless so: the same portals,
	// country, CRM, mail server and policies.
	"sources.NAME.kind":                "the same portals",
	"sources.NAME.allow_ips":           "the same portals' addresses",
	"sources.NAME.default_country":     "agencies of one country",
	"mapping.dir":                      "shared mappings, as the install guide suggests",
	"crm.kind":                         "agencies on one CRM",
	"crm.hubspot.base_url":             "HubSpot's one API",
	"crm.hubspot.lead_id_property":     "the same property name in each account",
	"crm.hubspot.contact_key_property": "the same property name in each account",
	"crm.hubspot.contact_url":          "a link, which sends nothing (the pin is compared)",
	"crm.hubspot.deal_url":             "a link, which sends nothing (the pin is compared)",
	"crm.pipedrive.base_url":           "a company's address: the pin (company_id) tells one company shared",
	"crm.pipedrive.lead_id_field":      "the same field name in each company",
	"crm.pipedrive.contact_url":        "a link, which sends nothing (the pin is compared)",
	"crm.pipedrive.deal_url":           "a link, which sends nothing (the pin is compared)",
	"report.schedule":                  "a time of day",
	"report.time_zone":                 "agencies of one country",
	"report.keep_days":                 "how long, not where",
	"report.catch_up_days":             "how far back, not where",
	"report.mail.host":                 "one mail server may send every agency's reports",
	"report.mail.port":                 "as host",
	"report.mail.tls":                  "as host",
	"report.mail.ca_file":              "as host",
	"report.mail.username":             "as host",
	"report.mail.from":                 "one sender may send every agency's reports (agency: tells them apart)",
	"retention.event_days":             "a policy",
	"retention.quarantine_days":        "a policy",
	"retention.outbox_days":            "a policy",
	"retention.link_days":              "a policy",
	"retention.erasure_days":           "a policy",
	"http.trusted_proxies":             "one proxy may serve every agency",

	// How the daemon runs: limits and timers, each daemon its own.
	"log.level": running, "log.journald": running,
	"http.max_body_bytes": running, "http.max_header_bytes": running, "http.read_header_timeout": running,
	"http.read_timeout": running, "http.write_timeout": running, "http.idle_timeout": running,
	"http.max_connections": running, "intake.dedup_window": running, "intake.max_batch": running,
	"intake.max_depth": running, "intake.answer_within": running, "crm.timeout": running,
	"crm.hubspot.requests": running, "crm.hubspot.window": running, "crm.pipedrive.requests": running,
	"crm.pipedrive.window": running, "crm.pipedrive.settle_time": running, "sync.schedule": running,
	"sync.prompt_delay": running, "sync.max_attempts": running, "sync.lease": running,
	"sync.batch_size": running, "sync.retry_after_cap": running, "sync.probe_every": running,
}

// running is why a limit or timer of the daemon is not compared.
const running = "how each daemon runs"

// TestEverySettingIsClassifiedForOtherAgencies walks config.Config (its
// nested structs and maps' values too) and wants each key of the file in
// agencySettings, compared by otherAgencies or not, and no key there that
// the file has not. A per-agency setting added later fails here until
// someone decides whether two agencies' files may share it.
func TestEverySettingIsClassifiedForOtherAgencies(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || name == "" || name == "-" {
				continue
			}
			key, ft := prefix+name, f.Type
			if ft.Kind() == reflect.Map {
				key, ft = key+".NAME", ft.Elem()
			}
			if ft.Kind() == reflect.Struct && ft.PkgPath() == typ.PkgPath() {
				walk(key+".", ft)
				continue
			}
			seen[key] = true
			if agencySettings[key] == "" {
				t.Errorf("%s is not classified for otherAgencies: add it to agencySettings, \"compared\" (and compare it "+
					"in sharedSettings) where two agencies' files must not share it, else why they may", key)
			}
		}
	}
	walk("", reflect.TypeFor[config.Config]())
	for key := range agencySettings {
		if !seen[key] {
			t.Errorf("agencySettings classifies %s, which the configuration file has not", key)
		}
	}
}
