package pipedrive_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// storeLinks is MemLinks refusing a write whose context has ended, as the
// stores' SQL does.
type storeLinks struct{ *crm.MemLinks }

func (l storeLinks) SetLink(ctx context.Context, target string, kind syncd.RecordKind, key, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return l.MemLinks.SetLink(ctx, target, kind, key, id)
}

func (l storeLinks) SetIntent(ctx context.Context, target string, kind syncd.RecordKind, key string, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return l.MemLinks.SetIntent(ctx, target, kind, key, at)
}

// stopOnAnswer reads the answer to a POST whole, then stops the run (its
// context's cancel), as SIGTERM coming while Pipedrive answered.
type stopOnAnswer struct {
	next http.RoundTripper
	stop context.CancelFunc
}

func (s stopOnAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(req)
	if err != nil || req.Method != http.MethodPost {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	s.stop()
	return resp, nil
}

// TestAStopAsPipedriveAnswersKeepsTheID: syncd stopped (SIGTERM) while
// Pipedrive answered a person's create with its id. The link was written
// with the run's ended context and refused, so the id was lost with the
// intent left: the person's next write had to wait a settle time and find
// it in Pipedrive's lists. The id the answer gave is now recorded, and the
// intent cleared.
func TestAStopAsPipedriveAnswersKeepsTheID(t *testing.T) {
	t.Parallel()
	srv := crmfake.New(crmfake.Options{Kind: crmfake.KindPipedrive, Token: token})
	srv.AddField("person", crmfake.Field{Name: "firstname", Type: "varchar"})
	base := srv.Start()
	t.Cleanup(func() { _ = srv.Close() })
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	links := storeLinks{&crm.MemLinks{}}
	a := pipedrive.New(pipedrive.Options{BaseURL: base, Token: token, LeadIDField: crmfake.DefaultPipedriveLeadField, Links: links,
		HTTP: crm.Options{Timeout: 2 * time.Second, RetryWaitMin: 2 * time.Millisecond, RetryWaitMax: 20 * time.Millisecond, RateLimit: -1,
			Transport: stopOnAnswer{next: http.DefaultTransport.(*http.Transport).Clone(), stop: stop}}})
	cs, _ := crmtest.Leads(1)
	r := a.UpsertContacts(ctx, cs)[0]
	if ctx.Err() == nil {
		t.Fatal("the run was not stopped: no create was sent")
	}
	if n := len(srv.State().Contacts); n != 1 {
		t.Fatalf("%d persons in Pipedrive; want the one created", n)
	}
	bg := context.Background()
	id, _ := links.Link(bg, pipedrive.Name, syncd.RecordContact, cs[0].Key)
	if id == "" || (r.ID != "" && r.ID != id) {
		t.Fatalf("link %q after the stop (result %+v); want the id Pipedrive answered", id, r)
	}
	if sent, _ := links.Intent(bg, pipedrive.Name, syncd.RecordContact, cs[0].Key); !sent.IsZero() {
		t.Fatalf("the create's intent (sent %v) left after its id was recorded", sent)
	}
}
