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
	Emails       []valueOnly    `json:"emails"`
	Phones       []valueOnly    `json:"phones"`
	CustomFields map[string]any `json:"custom_fields"`
}

type valueOnly struct {
	Value string `json:"value"`
}

// maxRecentPages bounds how far back the recent list is read.
const maxRecentPages = 20

// recent reads object's list newest first, back to shortly before sent
// (or the witnesses' span, if longer), and returns the lowest id that match
// accepts. When none matches, fresh reports whether a record missing from
// the list can be taken as never created: the list shows a record added
// after a request sent at sent could have been applied (freshAfter), or at
// least nothing shows that it lags more than Settle: no record this adapter
// created between Settle and witnessSpan settle times ago is missing from
// it. (A witness people deleted or merged away looks missing too; the span
// keeps it from holding a create in doubt for ever.)
func (a *Adapter) recent(ctx context.Context, object string, sent time.Time, match func(listed) bool) (id string, fresh bool, err error) {
	q := url.Values{"sort_by": {"add_time"}, "sort_direction": {"desc"}, "limit": {"100"}}
	now := a.opts.Now()
	from := now.Add(-witnessSpan * a.opts.Settle)
	floor := earlier(sent, from).Add(-a.opts.ClockSkew).Truncate(time.Second)
	shown := map[int64]bool{}
	var best int64
	for page := 0; page < maxRecentPages; page++ {
		var out struct {
			Data           []listed `json:"data"`
			AdditionalData struct {
				NextCursor *string `json:"next_cursor"`
			} `json:"additional_data"`
		}
		if _, err := a.do(ctx, crm.Call{Op: object + "_recent", Method: http.MethodGet, URL: a.url("/"+object, q)}, &out); err != nil {
			return "", false, err
		}
		older := false
		for _, r := range out.Data {
			added, err := time.Parse(time.RFC3339, r.AddTime)
			if err != nil {
				return "", false, crm.RetryErr(fmt.Sprintf("%s list: add_time %q", object, r.AddTime))
			}
			fresh = fresh || a.freshAfter(sent, added)
			older = older || added.Before(floor)
			shown[r.ID] = true
			if match(r) && (best == 0 || r.ID < best) {
				best = r.ID
			}
		}
		next := out.AdditionalData.NextCursor
		if older || next == nil || *next == "" {
			break
		}
		q.Set("cursor", *next)
	}
	if best != 0 {
		return idString(best), true, nil
	}
	if !fresh {
		fresh = !a.seen.missing(object, from, now.Add(-a.opts.Settle), shown)
	}
	return "", fresh, nil
}

// hasValue reports whether vs holds v (case-insensitively: emails).
func hasValue(vs []valueOnly, v string) bool {
	for _, x := range vs {
		if v != "" && strings.EqualFold(strings.TrimSpace(x.Value), v) {
			return true
		}
	}
	return false
}
