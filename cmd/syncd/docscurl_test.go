package main_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// curlSample is a curl command of the documentation that posts a file to
// a hook: where it is written, its Content-Type (curl's own for --data
// when it gives none), its body file, whether it is posted as --data
// (curl then drops the file's line ends), its URL, and the answer the
// documentation shows on the comment line below it, if any.
type curlSample struct {
	where, contentType, file string
	stripLines               bool
	url, shown               string
}

var (
	curlHeader = regexp.MustCompile(`-H '([^']*)'`)
	curlData   = regexp.MustCompile(`(--data-binary|--data|-d) @(\S+)`)
	curlURL    = regexp.MustCompile(`(http://\S+/hooks/\S+)`)
)

// curlSamples are the curl commands of the fenced blocks of the Markdown
// text body (file names it) that post a file to /hooks/, their continued
// lines (a trailing \) joined.
func curlSamples(file, body string) []curlSample {
	var samples []curlSample
	lines := strings.Split(body, "\n")
	fenced := false
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if strings.HasPrefix(l, "```") {
			fenced = !fenced
			continue
		}
		if !fenced || !strings.HasPrefix(l, "curl ") {
			continue
		}
		start := i
		for strings.HasSuffix(l, `\`) && i+1 < len(lines) {
			i++
			l = strings.TrimSuffix(l, `\`) + " " + strings.TrimSpace(lines[i])
		}
		d, u := curlData.FindStringSubmatch(l), curlURL.FindStringSubmatch(l)
		if d == nil || u == nil {
			continue
		}
		s := curlSample{
			where:       file + ":" + strconv.Itoa(start+1),
			contentType: "application/x-www-form-urlencoded",
			file:        d[2],
			stripLines:  d[1] != "--data-binary",
			url:         u[1],
		}
		for _, h := range curlHeader.FindAllStringSubmatch(l, -1) {
			if name, value, ok := strings.Cut(h[1], ":"); ok && strings.EqualFold(name, "Content-Type") {
				s.contentType = strings.TrimSpace(value)
			}
		}
		if i+1 < len(lines) {
			if c, ok := strings.CutPrefix(strings.TrimSpace(lines[i+1]), "# {"); ok {
				s.shown = "{" + strings.Fields(c)[0]
			}
		}
		samples = append(samples, s)
	}
	return samples
}

// TestDocsCurlSamplesAreAccepted: every curl command of the operator's
// documentation that posts a payload to a hook works as written against
// the daemon started on the shipped example configuration, as the Quick
// start starts it: its address is the example's listen, its source and
// token are the example's, its file exists and is taken as a lead (200,
// "accepted", or "duplicate" where an earlier sample posted it), the
// answer a comment below it shows is the one given, and the same again is
// a duplicate, as the README says.
func TestDocsCurlSamplesAreAccepted(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile(filepath.Join(root, "configs", "syncd.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	listen := regexp.MustCompile(`(?m)^listen: (\S+)`).FindSubmatch(example)
	if listen == nil {
		t.Fatal("configs/syncd.example.yaml has no listen line")
	}
	var samples []curlSample
	for _, file := range operatorDocs(t) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, curlSamples(file, string(b))...)
	}
	t.Logf("%d curl samples", len(samples))
	if len(samples) < 3 {
		t.Fatalf("only %d curl samples found in the docs (the README has two, docs/crm-sync.md one): is the pattern still right?", len(samples))
	}

	cmd := syncdCmd("serve", "-config", "configs/syncd.example.yaml")
	cmd.Dir = root // the Quick start runs it from the repository's top directory
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SYNCD_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "SYNCD_LISTEN=127.0.0.1:0", "SYNCD_DATA_DIR="+t.TempDir())
	d := startCmd(t, cmd)
	defer d.stop(t, syscall.SIGTERM)

	for _, s := range samples {
		u, err := url.Parse(s.url)
		if err != nil {
			t.Errorf("%s: %s: %v", s.where, s.url, err)
			continue
		}
		if u.Host != string(listen[1]) {
			t.Errorf("%s: posts to %s, the example configuration listens at %s", s.where, u.Host, listen[1])
		}
		body, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(s.file)))
		if err != nil {
			t.Errorf("%s: %v", s.where, err)
			continue
		}
		if s.stripLines { // curl --data @FILE drops carriage returns and newlines
			body = bytes.ReplaceAll(bytes.ReplaceAll(body, []byte("\r"), nil), []byte("\n"), nil)
		}
		for try := 1; try <= 2; try++ {
			resp, err := http.Post(d.url+u.Path, s.contentType, bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", s.where, err)
			}
			answer, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			got := strings.TrimSpace(string(answer))
			switch {
			case resp.StatusCode != http.StatusOK:
				t.Errorf("%s: %s answered %d %s, want 200", s.where, u.Path, resp.StatusCode, got)
			case try == 1 && s.shown != "" && got != s.shown:
				t.Errorf("%s: answered %s, the docs show %s", s.where, got, s.shown)
			case try == 1 && !strings.Contains(got, `"status":"accepted"`) && !strings.Contains(got, `"status":"duplicate"`):
				t.Errorf("%s: answered %s, want it accepted", s.where, got)
			case try == 2 && !strings.Contains(got, `"status":"duplicate"`):
				t.Errorf("%s: posted again, answered %s, want a duplicate", s.where, got)
			}
		}
	}
}
