package syncer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// ErrCheckUnread is what Options.Check's error wraps when the check could
// not read the account (no answer, a 5xx, a rate or daily limit): nothing
// is known wrong with how it is set up.
var ErrCheckUnread = errors.New("crm check could not read the account")

// configFailure handles a result that says the CRM account is set up wrong
// for the mappings (ErrConfig): the adapter pauses with an alarm naming the
// property and `syncd crm check`, and the operation waits, its attempt not
// counted. When a check has passed for the same property within the last
// ConfigPause, the account is fine and the value is the record's own (an
// option no mapping constant writes): the operation is dead-lettered
// instead, so that one lead cannot keep the adapter paused. Later errors on
// that property pause again: the account may have changed since. A code in
// accountCodes pauses whatever check passed: the adapter found it in the
// account as it read it, so the account has changed since.
func (s *Syncer) configFailure(ctx context.Context, op *syncd.Op, r syncd.Result, ce *syncd.CRMError, now time.Time, sum *Summary) {
	if ce.Code == syncd.CodeOptionNotWritten {
		// Mapped before the mappings changed: sent again, it is refused
		// again, and a pause for it would hold up the leads mapped since.
		op.State, op.LastError = syncd.OpDead, r.Err.Error()
		sum.Dead++
		s.warn(op, ce).Str("mapping", op.MappingFile).Str("fix", unwrittenFix(op, ce)).
			Msg("crm refused a value the mappings as loaded no longer write: dead letter")
		return
	}
	s.mu.Lock()
	at, ok := s.cleared[ce.Property]
	cleared := ce.Property != "" && ok && now.Sub(at) < s.opt.ConfigPause && !accountCodes[ce.Code]
	s.mu.Unlock()
	if cleared {
		op.State, op.LastError = syncd.OpDead, r.Err.Error()
		sum.Dead++
		if propertyCodes[ce.Code] {
			s.warn(op, ce).Str("mapping", op.MappingFile).Str("fix", unwrittenFix(op, ce)).
				Msg("crm refused a property the mappings as checked no longer write: dead letter")
			return
		}
		s.warn(op, ce).Str("fix", rejectedFix(op.ID, ce)).Msg("crm refused the record's own value: dead letter")
		return
	}
	what := "the CRM account: "
	switch {
	case ce.Plain:
		what = "" // the adapter's words name it already (HubSpot's missing property, a Pipedrive field's type)
	case ce.Property != "":
		what = "property " + ce.Property + ": "
	}
	then, kind := "; run `syncd crm check` (resumes by itself once the check passes)", syncd.PauseConfig
	if ce.Code == codeRequired {
		kind = syncd.PauseConfigUnseen
		then = fmt.Sprintf("; %s: syncd tries a lead again as the pause ends (every %s) and resumes once the CRM takes it",
			uncheckable, syncd.HowLong(s.opt.ConfigPause))
	}
	reason := fmt.Sprintf(reasonConfig+"%s%s%s", what, ce.Message, then)
	s.pause(syncd.Pause{Until: now.Add(s.opt.ConfigPause), Kind: kind, Reason: reason}, ce, sum)
	s.release(op, now, r.Err.Error(), sum)
}

// propertyCodes are the CRMError codes of a property the account does
// not have (HubSpot's PROPERTY_DOESNT_EXIST, the Pipedrive adapter's
// FIELD_UNKNOWN) or does not let syncd write (READ_ONLY_VALUE): never a
// lead's own value. When the check has passed for such a property, the
// mappings it checked do not write it: the operation was mapped before
// they changed (a property mistyped, then fixed and reloaded).
var propertyCodes = map[string]bool{"PROPERTY_DOESNT_EXIST": true, "FIELD_UNKNOWN": true, "READ_ONLY_VALUE": true}

// accountCodes are the CRMError codes an adapter gives only once it has
// found, in the account as it last read it, that every lead's value would
// be refused alike, and that the lead's value is one the mappings as
// loaded declare: the Pipedrive adapter's FIELD_TYPE (a field of another
// type than the mappings declare; see its accountsType). Never a lead's own
// value, nor an operation mapped before the mappings changed: one after a
// check passed for that field means the account changed since (its type
// changed back in Pipedrive), and the adapter pauses again as for the
// first, where it dead-lettered the lead as "crm refused the record's own
// value", its fix saying to correct a value that was right.
// So is the HubSpot adapter's PROPERTY_REQUIRED: a property the account
// requires that the mappings do not write, which no check can see. So is
// the Pipedrive adapter's PIPELINE_HIDDEN: the pipeline the mappings write
// no longer shown to the token's user, a regular one (hidden by pipeline
// visibility), found in the pipelines as it read them again; and its
// PIPELINE_GONE and STAGE_GONE: a pipeline or stage the mappings as loaded
// write as a constant, no longer in the pipelines as it read them again
// (deleted or renamed in Pipedrive).
var accountCodes = map[string]bool{"FIELD_TYPE": true, codeRequired: true, "PIPELINE_HIDDEN": true, "PIPELINE_GONE": true, "STAGE_GONE": true}

// codeRequired is the HubSpot adapter's code of a property the account
// requires that the mappings do not write; uncheckable says, in its
// pause's reason, that no account check sees it (its kind is
// syncd.PauseConfigUnseen).
const (
	codeRequired = "PROPERTY_REQUIRED"
	uncheckable  = "`syncd crm check` cannot see which properties HubSpot requires"
)

// unwrittenFix is what the line of an operation dead-lettered for a
// property in propertyCodes, or a value of syncd.CodeOptionNotWritten,
// tells the operator: a retry would send the property again, a replay
// maps the lead with the mappings as loaded.
func unwrittenFix(op *syncd.Op, ce *syncd.CRMError) string {
	what, meant := ce.Property, ce.Property
	if ce.Code == syncd.CodeOptionNotWritten {
		what, meant = "a value of "+ce.Property, "its value"
	}
	return fmt.Sprintf("operation %d writes %s (%s), which the CRM does not take and the mappings as checked no longer write: "+
		"it was mapped from event %d with %s before the mappings changed, and a retry would send it as it is; "+
		"run syncd replay -since the day event %d was received (syncd events show %d), -dry-run first: it maps the lead again "+
		"with the mappings as loaded and drops this operation; or, if %s is meant, make it in the CRM and syncd outbox retry %d",
		op.ID, what, ce.Code, op.EventID, op.MappingFile, op.EventID, op.EventID, meant, op.ID)
}

// recheck runs the account check before a pause ends: while it fails, the
// adapter stays paused (another ConfigPause) with the check's findings as
// the reason; a check that could not read the account (ErrCheckUnread)
// ends the pause. It reports whether the adapter is still paused. A pause for
// a rejected token or a spent daily limit ends without it: their next call
// shows whether they are over, at the cost of one request, not a check.
func (s *Syncer) recheck(ctx context.Context, sum *Summary) (bool, error) {
	s.mu.Lock()
	prop, class := s.pauseProperty, s.pauseClass
	s.mu.Unlock()
	if s.opt.Check == nil || class == syncd.ErrAuth || class == syncd.ErrDailyLimit {
		return false, nil
	}
	err := s.opt.Check(ctx)
	if errors.Is(err, ErrCheckUnread) {
		// It says nothing of how the account is set up: the pause ends,
		// and the next call shows what holds (refused again, a pause
		// again; a daily limit another integration spent, a pause until
		// it resets; no answer, a cool-down). Before, the adapter stayed
		// paused for its configuration, its alarm saying to fix what the
		// check lists, and the whole check ran again every ConfigPause,
		// each read refused, until the limit reset.
		s.log.Warn().Err(err).Msg("crm check could not read the account as the pause ended: resuming, the next call shows whether the CRM still refuses the records")
		return false, nil
	}
	if err == nil {
		s.mu.Lock()
		if prop != "" {
			s.cleared[prop] = s.opt.Now()
		}
		s.pauseClass, s.pauseProperty = 0, ""
		s.probeFailed = time.Time{} // see probeAgain
		s.mu.Unlock()
		return false, nil
	}
	until := s.opt.Now().Add(s.opt.ConfigPause)
	reason := reasonCheck + err.Error() + "; run `syncd crm check`"
	ce := &syncd.CRMError{Class: syncd.ErrConfig, Code: "CHECK_FAILED", Message: err.Error(), Property: prop}
	s.pause(syncd.Pause{Until: until, Kind: syncd.PauseCheck, Reason: reason}, ce, sum)
	return true, nil
}

// Recheck runs the account check now (after SIGHUP, say): when it passes
// the next probe runs at once (see ProbeEvery), and when the adapter is
// paused for its configuration, the pause is lifted at once and a prompt
// run sends what waited. It returns the check's error.
func (s *Syncer) Recheck(ctx context.Context) error {
	if s.opt.Check == nil {
		return nil
	}
	err := s.opt.Check(ctx)
	if err == nil {
		s.probeAgain()
	}
	s.mu.Lock()
	config, prop := s.pauseClass == syncd.ErrConfig, s.pauseProperty
	s.mu.Unlock()
	if err != nil || !config {
		return err
	}
	s.mu.Lock()
	if prop != "" {
		s.cleared[prop] = s.opt.Now()
	}
	s.mu.Unlock()
	if err := s.Resume(ctx); err != nil {
		return err
	}
	s.log.Info().Str("why", "the crm check passed").Msg("crm pause lifted")
	s.Nudge() // the leads that waited go out now, not at the next scheduled run
	return nil
}
