package webhook_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestServerCapsConnectionsAndLogsJSON: past MaxConnections a client waits
// until one of the connections ends; net/http's own errors (here a handler
// panic) reach the log as JSON lines, not plain text.
func TestServerCapsConnectionsAndLogsJSON(t *testing.T) {
	logs := &syncBuffer{}
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	srv := webhook.NewServer(mux, webhook.ServerOptions{MaxConnections: 2, Log: zerolog.New(logs)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Run(ctx, ln); close(done) }()
	defer func() { cancel(); <-done }()
	url := "http://" + ln.Addr().String()

	var idle []net.Conn
	for i := 0; i < 2; i++ { // two clients that connect and send nothing hold both slots
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		idle = append(idle, c)
	}
	got := make(chan int, 1)
	go func() {
		resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Get(url + "/ok")
		if err != nil {
			got <- -1
			return
		}
		resp.Body.Close()
		got <- resp.StatusCode
	}()
	select {
	case c := <-got:
		t.Fatalf("a third connection was served past the cap: %d", c)
	case <-time.After(300 * time.Millisecond):
	}
	idle[0].Close()
	if c := <-got; c != 200 {
		t.Fatalf("after a slot freed: %d", c)
	}
	idle[1].Close()

	if resp, err := http.Get(url + "/panic"); err == nil {
		resp.Body.Close()
	}
	var line map[string]any
	out := strings.TrimSpace(logs.String())
	if err := json.Unmarshal([]byte(out), &line); err != nil || !strings.Contains(line["error"].(string), "panic serving") {
		t.Fatalf("net/http's error not a JSON log line: %q", out)
	}
}
