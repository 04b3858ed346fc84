package report

import (
	"context"
	"fmt"
	"time"

	"github.com/tidwall/gjson"
	"github.com/xuri/excelize/v2"
)

// cellTime is a real Excel date-time cell (local wall time) in style id.
func cellTime(id int, t time.Time) excelize.Cell { return excelize.Cell{StyleID: id, Value: t} }

var failureColumns = []column{
	{Title: "Time", Width: 19},
	{Title: "Portal", Width: 14},
	{Title: "Action", Width: 10},
	{Title: "Property reference", Width: 20},
	{Title: "Portal reference", Width: 24},
	{Title: "Error code", Width: 28},
	{Title: "Error message", Width: 70, Wrap: true},
}

// readFailures emits one row per error of each failed portal_submission
// for the Portal failures sheet, and counts every submission.
func (b *book) readFailures(ctx context.Context, emit func(row ...any) error) error {
	return b.opts.Store.EachEvent(ctx, b.from, b.to, "eaf", "portal_submission", func(r *EventRow) error {
		g := gjson.GetManyBytes(r.JSON, "eaf_status", "eaf_target", "eaf_action", "eaf_reference",
			"eaf_portal_reference", "eaf_errors")
		portal, ok := g[1].String(), g[0].String() == "success"
		b.sum.addSubmission(portal, ok)
		if ok {
			return nil
		}
		at := cellTime(b.st.datetime, r.ReceivedAt.In(b.loc))
		action, ref, portalRef := g[2].String(), g[3].String(), g[4].String()
		errs := g[5].Array()
		if len(errs) == 0 {
			b.sum.addErrorCode("")
			return emit(at, portal, action, ref, portalRef, "", "(no error given)")
		}
		for _, e := range errs {
			code := e.Get("eaf_code").String()
			b.sum.addErrorCode(code)
			if err := emit(at, portal, action, ref, portalRef, code, text(e.Get("eaf_message").String())); err != nil {
				return err
			}
		}
		return nil
	})
}

var feedColumns = []column{
	{Title: "Time", Width: 19},
	{Title: "Source", Width: 14},
	{Title: "Agent", Width: 24},
	{Title: "Format", Width: 16},
	{Title: "Records modified", Width: 10},
	{Title: "Feed", Width: 50},
}

// readFeeds emits the day's feed imports for the Feed imports sheet.
func (b *book) readFeeds(ctx context.Context, emit func(row ...any) error) error {
	return b.opts.Store.EachEvent(ctx, b.from, b.to, "eaf", "feed_import", func(r *EventRow) error {
		g := gjson.GetManyBytes(r.JSON, "eaf_agent_name", "eaf_format", "eaf_records_modified", "eaf_source")
		n := g[2].Int()
		b.sum.feedImports++
		b.sum.recordsModified += n
		return emit(cellTime(b.st.datetime, r.ReceivedAt.In(b.loc)), r.Source, g[0].String(), g[1].String(), n,
			link(b.st, "", g[3].String()))
	})
}

var attentionColumns = []column{
	{Title: "Time", Width: 19},
	{Title: "Problem", Width: 13},
	{Title: "ID", Width: 9},
	{Title: "Source", Width: 14},
	{Title: "Detail", Width: 20},
	{Title: "Reason", Width: 60, Wrap: true},
	{Title: "Inspect with", Width: 28},
}

// InspectCommand is the command that shows one row that needs attention.
func InspectCommand(kind AttentionKind, id int64) string {
	switch kind {
	case AttentionQuarantined:
		return fmt.Sprintf("syncd events show -quarantined %d", id)
	case AttentionDead:
		return fmt.Sprintf("syncd outbox show %d", id)
	default:
		return fmt.Sprintf("syncd events show %d", id)
	}
}

// readAttention emits quarantined bodies, unmappable and unrecognised
// events, events of new types and dead operations for the Needs attention
// sheet; the last two kinds of event also raise alarms.
func (b *book) readAttention(ctx context.Context, emit func(row ...any) error) error {
	newTypes := map[string]int{}
	err := b.opts.Store.EachAttention(ctx, b.from, b.to, func(r *AttentionRow) error {
		b.sum.attention[r.Kind]++
		if r.Kind == AttentionNewType {
			newTypes[r.Detail]++
		}
		return emit(cellTime(b.st.datetime, r.At.In(b.loc)), string(r.Kind), r.ID, r.Source, r.Detail,
			text(r.Reason), InspectCommand(r.Kind, r.ID))
	})
	b.sum.alarms = append(b.sum.alarms, attentionAlarms(b.sum.attention[AttentionUnrecognised], newTypes)...)
	return err
}

// attentionAlarms are the alarms for events no rule will ever see: bodies
// that do not fit their source's kind, and event types nobody maps yet.
func attentionAlarms(unrecognised int, newTypes map[string]int) []string {
	var out []string
	if unrecognised > 0 {
		out = append(out, fmt.Sprintf("%d unrecognised events: their bodies do not fit their source's kind "+
			"(a sender posting to the wrong source?); see Needs attention", unrecognised))
	}
	for _, c := range sorted(newTypes, 0) {
		out = append(out, fmt.Sprintf("new event type %s: %d events, no rule maps them", c.Name, c.N))
	}
	return out
}
