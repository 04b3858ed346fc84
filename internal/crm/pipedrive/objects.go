package pipedrive

import (
	"context"
	"net/http"
	"net/url"

	"github.com/syncd-dev/syncd/internal/crm"
)

// ReadObjects lists one person, through the API the syncer writes persons
// and deals with, and returns nil when Pipedrive answered it. The account
// check reads other APIs (fields, pipelines, users), which may answer
// while this one is down: the syncer's stuck-batch probe asks both
// (syncd.ObjectsReader).
func (a *Adapter) ReadObjects(ctx context.Context) error {
	_, err := a.do(ctx, crm.Call{Op: "persons_list", Method: http.MethodGet, URL: a.url("/persons", url.Values{"limit": {"1"}})}, nil)
	return err
}
