package mapping

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/suggest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Warnings lists, with file and line, what loads but is likely a mistake:
// a rule for an event type its sender does not document, and a rule that
// can never apply because one before it, for the same events, has no
// `when:`. Rules for undocumented types are kept (a sender may add
// types), but a misspelt type matches no event, so every lead of the
// type meant is ignored, and the rule's paths and fields cannot be
// checked. So are files in the directory that look meant as mappings
// but are not loaded (EAF.YAML, eaf.yaml.txt, eaf.yaml.bak, a folder),
// and, when told the configuration's source kinds, rules for a kind it
// has no source of and a kind with a source whose leads no rule takes
// (that one named with the folder, File, and no line).
func (r *Rules) Warnings() LoadErrors {
	ws := append(r.shadowed(), r.notLoaded...)
	ws = append(append(ws, r.numbersAsText()...), r.listsReplaced()...)
	ws = append(append(ws, r.unsourced()...), r.leadsUntaken()...)
	for _, ru := range r.rules {
		s := sender.For(ru.kind)
		if s.Known(ru.event) {
			continue
		}
		if msg := otherSenders(ru.kind, ru.event); msg != "" {
			ws = append(ws, &LoadError{File: ru.file, Line: ru.kindLine, Rule: ru.name, Msg: msg})
			continue
		}
		msg := fmt.Sprintf("event %q is not among the %s event types syncd knows (%s): the rule matches only events of exactly that type, and its paths and fields are not checked",
			ru.event, ru.kind, strings.Join(s.Types, ", "))
		if near := suggest.Nearest(ru.event, s.Types); near != "" {
			msg += fmt.Sprintf("; did you mean %q?", near)
		}
		ws = append(ws, &LoadError{File: ru.file, Line: ru.eventLine, Rule: ru.name, Msg: msg})
	}
	ws.sort()
	return ws
}

// unsourced lists the rules for a sender kind the configuration has no
// source of (when told which it has): no event of theirs arrives, so they
// map nothing, as a folder copied whole for an agency using one sender.
func (r *Rules) unsourced() LoadErrors {
	if r.sources == nil {
		return nil
	}
	var have []string
	for _, k := range r.sources {
		if !slices.Contains(have, string(k)) {
			have = append(have, string(k))
		}
	}
	slices.Sort(have)
	kinds := "it has none"
	if len(have) > 0 {
		kinds = "its sources are of kind " + strings.Join(have, ", ")
	}
	var ws LoadErrors
	for _, ru := range r.rules {
		if slices.Contains(r.sources, ru.kind) {
			continue
		}
		ws = append(ws, &LoadError{File: ru.file, Line: ru.kindLine, Rule: ru.name, Msg: fmt.Sprintf(
			"source: %s, but the configuration has no source of that kind (%s), so this rule maps nothing: "+
				"add a source of kind %s to the configuration's sources:, or, if the agency does not use that sender, move the file out of the mapping folder",
			ru.kind, kinds, ru.kind)})
	}
	return ws
}

// shadowed lists the rules that come after a rule without `when:` for
// the same events: the first rule that holds applies, so they never do.
func (r *Rules) shadowed() LoadErrors {
	var ws LoadErrors
	for _, rules := range r.byEvent {
		var all *rule // the first rule that takes every event
		for _, ru := range rules {
			if all != nil {
				ws = append(ws, &LoadError{File: ru.file, Line: ru.line, Rule: ru.name, Msg: fmt.Sprintf(
					"never applies: rule %q (%s:%d) takes every %s %s before it, having no when:",
					all.name, all.file, all.line, ru.kind, ru.event)})
			} else if ru.when == nil {
				all = ru
			}
		}
	}
	return ws
}

// leadsUntaken lists the sender kinds the configuration has a source of
// (when told which it has) whose leads no rule takes: each is stored and
// ignored, as when a kind's mapping file was deleted or moved away.
func (r *Rules) leadsUntaken() LoadErrors {
	if r.sources == nil || len(r.files) == 0 {
		return nil
	}
	var ws LoadErrors
	var seen []syncd.Kind
	for _, k := range r.sources {
		s := sender.For(k)
		if s == nil || slices.Contains(seen, k) {
			continue
		}
		seen = append(seen, k)
		if slices.ContainsFunc(s.Leads, func(typ string) bool { return len(r.byEvent[schemaKey{k, typ}]) > 0 }) {
			continue
		}
		ws = append(ws, &LoadError{File: path.Dir(r.files[0].Name), Msg: fmt.Sprintf(
			"no rule in the folder takes %s %s events, and the configuration has a source of kind %s: each such lead is "+
				"stored and ignored, never sent to the CRM: add a rule for them (mappings/README.md), or, if the agency "+
				"takes no leads from that sender, remove its source", k, andList(s.Leads), k)})
	}
	return ws
}

// otherSenders says, of an event type the sender kind does not document
// but another sender does, that kind never sends it (a rule copied from
// the other sender's file, source: changed and event: not): the rule
// never applies. "" otherwise: a sender may add types. A warning, not an
// error: such a rule maps nothing, and refusing it would hold every lead
// of a daemon restarted on files that held it.
func otherSenders(kind syncd.Kind, event string) string {
	own := sender.For(kind)
	if own.Known(event) {
		return ""
	}
	for _, s := range sender.All() {
		if s.Kind != kind && s.Known(event) {
			return fmt.Sprintf("source: %s, but %s is an event of %s, which %s never sends, so this rule never applies: write source: %s, or the %s event meant (%s)",
				kind, event, s.Kind, kind, s.Kind, kind, andOr(own.Types))
		}
	}
	return ""
}

// andOr joins words as "a", "a or b", "a, b or c".
func andOr(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
