package webhook_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestConnectionCapReachedIsLogged: when every connection the cap allows is
// in a request, a new client (a sender's delivery among them) waits for one
// to end, for as long as the read timeout, and gave up unseen: the log said
// nothing. It now says so in a warning naming the setting and what to do;
// a connection closed to make room for a new one is logged too, at info.
func TestConnectionCapReachedIsLogged(t *testing.T) {
	t.Parallel()
	logs := &logtest.Buffer{}
	release, inSlow := make(chan struct{}), make(chan struct{}, 2)
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) { inSlow <- struct{}{}; <-release })
	srv := webhook.NewServer(mux, webhook.ServerOptions{MaxConnections: 2, ReadHeaderTimeout: time.Minute, Log: zerolog.New(logs)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Run(ctx, ln); close(done) }()
	defer func() { cancel(); <-done }()
	url := "http://" + ln.Addr().String()
	get := func(path string, got chan<- int) {
		resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Get(url + path)
		if err != nil {
			got <- -1
			return
		}
		resp.Body.Close()
		got <- resp.StatusCode
	}
	// waitFor waits for a log line at level whose message holds want.
	waitFor := func(level, want string) map[string]any {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			for _, l := range logs.Lines(t) {
				if msg, _ := l["message"].(string); l["level"] == level && strings.Contains(msg, want) {
					return l
				}
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("no %s line saying %q: %s", level, want, logs.String())
		return nil
	}

	// Two silent connections fill the cap; a client after them takes the
	// place of the older one.
	for i := 0; i < 2; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	got := make(chan int, 4)
	go get("/ok", got)
	if c := <-got; c != 200 {
		t.Fatalf("after the silent connections: %d", c)
	}
	idle := waitFor("info", "http.max_connections")
	if idle["max_connections"] != float64(2) {
		t.Errorf("the line on a connection closed for a new one: %v", idle)
	}

	// Two requests in progress fill the cap: a third waits, and the
	// operator is told.
	for i := 0; i < 2; i++ {
		go get("/slow", got)
		select {
		case <-inSlow:
		case <-time.After(10 * time.Second):
			t.Fatal("a slow request did not reach its handler")
		}
	}
	third := make(chan int, 1)
	go get("/ok", third)
	full := waitFor("warn", "every connection")
	if full["max_connections"] != float64(2) || !strings.Contains(full["message"].(string), "raise http.max_connections") {
		t.Errorf("the warning of a full cap: %v", full)
	}
	select {
	case c := <-third:
		t.Fatalf("a third connection was served past the cap: %d", c)
	default:
	}
	close(release)
	if c := <-third; c != 200 {
		t.Fatalf("after a slot freed: %d", c)
	}
	<-got
	<-got
}
