package systemd

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

const childEnv = "SYNCD_TEST_ACTIVATION_CHILD"

// TestActivationChild is not a test on its own: TestListenerSocketActivation
// runs the test binary again with this one selected, passing listening
// sockets as fd 3 onwards the way systemd does.
func TestActivationChild(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		t.Skip("helper process for TestListenerSocketActivation")
	}
	// systemd sets LISTEN_PID between fork and exec; a test cannot know the
	// child's pid in advance, so the child sets it for itself.
	os.Setenv("LISTEN_PID", strconv.Itoa(os.Getpid()))
	// An address that cannot be listened on: only activation can succeed.
	ln, err := Listener("not-an-address")
	if mode == "two" {
		if err == nil {
			fmt.Println("RESULT accepted two sockets")
		} else {
			fmt.Println("RESULT error " + err.Error())
		}
		return
	}
	if err != nil {
		fmt.Println("RESULT error " + err.Error())
		return
	}
	fmt.Println("RESULT listening " + ln.Addr().String())
	conn, err := ln.Accept()
	if err != nil {
		fmt.Println("RESULT accept " + err.Error())
		return
	}
	fmt.Fprintf(conn, "hello from the activated socket; LISTEN_FDS=%q\n", os.Getenv("LISTEN_FDS"))
	conn.Close()
	ln.Close()
}

// listenFile opens a TCP listener on 127.0.0.1 and returns its address and
// a duplicate of its descriptor to hand to a child.
func listenFile(t *testing.T) (string, *os.File) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return ln.Addr().String(), f
}

// startChild runs TestActivationChild with files as fd 3, 4, ... and
// returns the first RESULT line it prints.
func startChild(t *testing.T, mode string, files ...*os.File) (result string, wait func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestActivationChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+mode,
		"LISTEN_FDS="+strconv.Itoa(len(files)), "LISTEN_FDNAMES=syncd.socket")
	cmd.ExtraFiles = files
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if r, ok := strings.CutPrefix(sc.Text(), "RESULT "); ok {
				lines <- r
			}
		}
		close(lines)
	}()
	select {
	case result = <-lines:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("child printed no RESULT")
	}
	return result, func() {
		for range lines {
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("child: %v", err)
		}
	}
}

func TestListenerSocketActivation(t *testing.T) {
	addr, f := listenFile(t)
	result, wait := startChild(t, "one", f)
	defer wait()
	if result != "listening "+addr {
		t.Fatalf("child: %s; want listening %s", result, addr)
	}
	// The parent has closed its listener: only the child's inherited
	// descriptor can accept this connection.
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if want := "hello from the activated socket; LISTEN_FDS=\"\"\n"; line != want {
		t.Errorf("got %q, want %q (LISTEN_FDS must be consumed)", line, want)
	}
}

// TestListenerRejectsTwoSockets: syncd serves one socket. The usual way
// to two is the install guide's own (ListenStream=0.0.0.0:8080 for a
// balancer) put in a drop-in, which adds to syncd.socket's 127.0.0.1:8080
// rather than replace it; syncd said only "2 sockets passed, want 1". It
// now names the addresses and how a drop-in replaces the unit's.
func TestListenerRejectsTwoSockets(t *testing.T) {
	a1, f1 := listenFile(t)
	a2, f2 := listenFile(t)
	result, wait := startChild(t, "two", f1, f2)
	defer wait()
	for _, want := range []string{"2 sockets passed (" + a1 + ", " + a2 + "), want 1",
		"a drop-in's ListenStream= adds to the unit's", "an empty ListenStream= line first"} {
		if !strings.Contains(result, want) {
			t.Errorf("child: %s\nwant %q in it", result, want)
		}
	}
}

func TestListenerWithoutActivation(t *testing.T) {
	for name, env := range map[string][2]string{
		"no LISTEN_FDS":         {"", ""},
		"LISTEN_PID of another": {"1", strconv.Itoa(os.Getpid() + 1)},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("LISTEN_FDS", env[0])
			t.Setenv("LISTEN_PID", env[1])
			ln, err := Listener("127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			go func() {
				if c, err := ln.Accept(); err == nil {
					c.Write([]byte("x"))
					c.Close()
				}
			}()
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			b := make([]byte, 1)
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := conn.Read(b); err != nil || b[0] != 'x' {
				t.Fatalf("read %q, %v", b, err)
			}
			if v, ok := os.LookupEnv("LISTEN_FDS"); ok {
				t.Errorf("LISTEN_FDS=%q left set", v)
			}
		})
	}
	if _, err := Listener("not-an-address"); err == nil {
		t.Error("Listener on a bad address returned nil error")
	}
}
