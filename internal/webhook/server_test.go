package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestServerCapsConnectionsAndLogsJSON: at MaxConnections, a new client
// takes the place of the oldest connection that is not in a request (a
// flood of silent connections costs it nothing but its turn), and waits
// only while every connection is in a request; net/http's own errors (here
// a handler panic) reach the log as JSON lines, not plain text.
func TestServerCapsConnectionsAndLogsJSON(t *testing.T) {
	t.Parallel()
	logs := &logtest.Buffer{}
	release, inSlow := make(chan struct{}), make(chan struct{}, 2)
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) { inSlow <- struct{}{}; <-release })
	mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
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

	// 50 silent connections: each new one closes an older one; a client
	// after them is served at once, not after the header timeout (1 min).
	for i := 0; i < 50; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	got := make(chan int, 3)
	go get("/ok", got)
	select {
	case c := <-got:
		if c != 200 {
			t.Fatalf("after the silent connections: %d", c)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a client waited behind silent connections")
	}

	// Two requests in progress fill the cap: a third waits for one to end.
	// One after the other: a connection whose request has not begun may be
	// closed for a newcomer, so the second waits until the first is in.
	for i := 0; i < 2; i++ {
		go get("/slow", got)
		select {
		case <-inSlow: // in its handler: in a request, so never closed for a newcomer
		case <-time.After(10 * time.Second):
			t.Fatal("a slow request did not reach its handler")
		}
	}
	third := make(chan int, 1)
	go get("/ok", third)
	select {
	case c := <-third:
		t.Fatalf("a third connection was served past the cap: %d", c)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if c := <-third; c != 200 {
		t.Fatalf("after a slot freed: %d", c)
	}
	<-got
	<-got

	if resp, err := http.Get(url + "/panic"); err == nil {
		resp.Body.Close()
	}
	out, logged := strings.TrimSpace(logs.String()), false // the cap's own lines are there too
	for _, l := range strings.Split(out, "\n") {
		var line map[string]any
		if err := json.Unmarshal([]byte(l), &line); err != nil {
			t.Fatalf("not a JSON log line: %q", l)
		}
		logged = logged || strings.Contains(fmt.Sprint(line["error"]), "panic serving")
	}
	if !logged {
		t.Fatalf("net/http's error not a JSON log line: %q", out)
	}
}
