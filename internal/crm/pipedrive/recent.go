package pipedrive

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
)

// listed is a person or deal as Pipedrive's lists show it.
type listed struct {
	ID           int64          `json:"id"`
	AddTime      string         `json:"add_time"`
	Emails       []listValue    `json:"emails"`
	Phones       []listValue    `json:"phones"`
	CustomFields map[string]any `json:"custom_fields"`
}

// maxRecentPages bounds how far back the recent list is read.
const maxRecentPages = 20

// recent reads object's list newest first, back to shortly before sent,
// and returns the lowest id that match accepts. When none matches, fresh
// reports whether that proves the record was never created: a request
// sent at sent was applied, if at all, within one timeout, and the list
// lags at most the bound it has shown (lagBounds), so once that much time
// has passed when the list is asked for (not when its answer arrives: a
// slow answer may describe an older state), a record missing from it does
// not exist. A list that
// has shown no record, or that was not read back to sent, proves nothing.
func (a *Adapter) recent(ctx context.Context, object string, sent time.Time, match func(listed) bool) (id string, fresh bool, err error) {
	q := url.Values{"sort_by": {"add_time"}, "sort_direction": {"desc"}, "limit": {"100"}}
	var best int64
	complete := false     // read back to floor, or to the end of the list
	asked := a.opts.Now() // the list shows Pipedrive's state at some time after this, however late the answer
	for page := 0; page < maxRecentPages && !complete; page++ {
		var out struct {
			Data           []listed `json:"data"`
			AdditionalData struct {
				NextCursor *string `json:"next_cursor"`
			} `json:"additional_data"`
		}
		pageAsked := a.opts.Now()
		resp, err := a.do(ctx, crm.Call{Op: object + "_recent", Method: http.MethodGet, URL: a.url("/"+object, q)}, &out)
		if err != nil {
			return "", false, err
		}
		got := a.opts.Now()
		// add_time is by Pipedrive's clock: read it by ours.
		ahead, within, _ := crm.TheirClock(resp.Header, pageAsked, got)
		skew := a.opts.ClockSkew + within
		floor := sent.Add(-skew).Truncate(time.Second)
		older := false
		for i, r := range out.Data {
			added, err := time.Parse(time.RFC3339, r.AddTime)
			if err != nil {
				return "", false, crm.RetryErr(fmt.Sprintf("%s list: add_time %q", object, r.AddTime))
			}
			added = added.Add(-ahead)
			if page == 0 && i == 0 { // the newest record the list shows
				a.lags.observe(object, got, added, skew, a.boundKeep())
			}
			older = older || added.Before(floor)
			if match(r) && (best == 0 || r.ID < best) {
				best = r.ID
			}
		}
		next := out.AdditionalData.NextCursor
		complete = older || next == nil || *next == ""
		if !complete {
			q.Set("cursor", *next)
		}
	}
	if best != 0 {
		return idString(best), true, nil
	}
	lag, ok := a.lags.bound(object, a.opts.Now(), a.boundKeep())
	return "", complete && ok && !asked.Before(sent.Add(a.opts.HTTP.Timeout+a.opts.ClockSkew+lag)), nil
}

// hasValue reports whether vs holds v (case-insensitively: emails).
func hasValue(vs []listValue, v string) bool {
	for _, x := range vs {
		if v != "" && strings.EqualFold(strings.TrimSpace(x.Value), v) {
			return true
		}
	}
	return false
}
