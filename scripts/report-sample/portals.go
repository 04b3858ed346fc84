package main

import (
	"context"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var failureCodes = []struct{ code, msg string }{
	{"ERR_ACCOUNT_ALLOWANCE", "Unable to add the listing as you've reached your visible or invisible account allowance."},
	{"ERR_MISSING_PRICE", "The listing has no price."},
	{"ERR_MISSING_IMAGES", "At least one image is required for a sales listing."},
	{"ERR_INVALID_POSTCODE", "The postcode 'SW1A 1XX' could not be matched to a known address."},
	{"ERR_PORTAL_TIMEOUT", "The portal did not answer within 60 seconds."},
	{"ERR_DESCRIPTION_TOO_LONG", "The full description is longer than the 32,000 characters the portal accepts."},
}

// submissions stores the day's portal submissions: 40 failures over 26
// listings, some fixed by a later successful submission, and successes.
func (s *sample) submissions(day report.Day) {
	targets := []string{"rightmove", "rightmove", "zoopla", "onthemarket"}
	failed := 0
	for l := 0; failed < 40; l++ {
		ref, target := fmt.Sprint(12340000+l*37), targets[l%len(targets)]
		at := s.at(day)
		tries := 1 + l%3
		for t := 0; t < tries && failed < 40; t++ {
			c := failureCodes[(l+t/2)%len(failureCodes)]
			errs := []map[string]string{{"eaf_code": c.code, "eaf_message": c.msg}}
			if l%5 == 1 {
				d := failureCodes[1]
				errs = append(errs, map[string]string{"eaf_code": d.code, "eaf_message": d.msg})
			}
			body := map[string]any{"eaf_type": "portal_submission", "eaf_status": "error", "eaf_action": "create",
				"eaf_target": target, "eaf_id": fmt.Sprint(s.rnd.Int64()), "eaf_date": at.Format(time.RFC3339),
				"eaf_portal_reference": ref + "_EAF_67004", "eaf_errors": errs}
			if l%4 != 0 { // the specification's own error example has no eaf_reference
				body["eaf_reference"] = ref
			}
			s.event("eaf", "portal_submission", "ignored", "", at.Add(40*time.Second), body)
			at = at.Add(35 * time.Minute)
			failed++
		}
		if l%3 == 2 {
			s.success(at.Add(time.Hour), target, ref, "update")
		}
	}
	for i := 0; i < 150; i++ {
		s.success(s.at(day), targets[i%len(targets)], fmt.Sprint(22000000+i), "update")
	}
}

func (s *sample) success(at time.Time, target, ref, action string) {
	s.event("eaf", "portal_submission", "ignored", "", at.Add(30*time.Second), map[string]any{
		"eaf_type": "portal_submission", "eaf_status": "success", "eaf_action": action, "eaf_target": target,
		"eaf_id": fmt.Sprint(s.rnd.Int64()), "eaf_date": at.Format(time.RFC3339), "eaf_reference": ref,
		"eaf_portal_reference": ref + "_EAF_67004", "eaf_remote_url": "https://www.rightmove.co.uk/properties/" + ref,
	})
}

// others stores feed imports and a body that never parsed.
func (s *sample) others(day report.Day) {
	for i := 0; i < 3; i++ {
		at := s.at(day)
		s.event("eaf", "feed_import", "ignored", "", at, map[string]any{
			"eaf_type": "feed_import", "eaf_format": "xml_eaf_spec", "eaf_id": fmt.Sprint(s.rnd.Int64()),
			"eaf_agent_name": "Estate Agent Feeds", "eaf_records_modified": 2 + i*7,
			"eaf_source": "https://estateagentfeeds.com/docs/eaf_xml_import_sample.xml", "eaf_date": at.Format(time.RFC3339),
		})
	}
	if s.err == nil {
		_, s.err = s.in.Store(context.Background(), syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF,
			Key: "sha256:sample", Body: []byte(`{"eaf_type": `), Quarantine: true, Reason: "invalid JSON at byte 13",
			ReceivedAt: s.at(day)})
	}
}
