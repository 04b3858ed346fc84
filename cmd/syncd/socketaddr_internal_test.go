package main

import (
	"net"
	"testing"
)

// TestReachesJudgesTheSocketsAddress: which listen: addresses reach a
// socket systemd passed, as syncd status dials them.
func TestReachesJudgesTheSocketsAddress(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		listen, socket string
		want           bool
	}{
		{"127.0.0.1:8080", "127.0.0.1:8080", true},
		{"127.0.0.1:8080", "0.0.0.0:8080", true},
		{"127.0.0.1:8080", "[::]:8080", true},
		{"localhost:8080", "127.0.0.1:8080", true},
		{":8080", "127.0.0.1:8080", true},
		{"0.0.0.0:8080", "127.0.0.1:8080", true},
		{"127.0.0.1:0", "127.0.0.1:41234", true},
		{"127.0.0.1:8080", "0.0.0.0:443", false},
		{"127.0.0.1:8080", "127.0.0.1:9090", false},
		{"127.0.0.1:8080", "10.0.0.5:8080", false},
		{"localhost:8080", "10.0.0.5:8080", false},
	} {
		addr, err := net.ResolveTCPAddr("tcp", c.socket)
		if err != nil {
			t.Fatal(err)
		}
		if got := reaches(c.listen, addr); got != c.want {
			t.Errorf("reaches(%q, %s) = %v, want %v", c.listen, c.socket, got, c.want)
		}
	}
}
