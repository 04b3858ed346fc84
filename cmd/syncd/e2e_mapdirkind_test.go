package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestMappingDirLeftAtTheOtherCRMNamesTheConfigLine: an agency moving from
// HubSpot to Pipedrive writes crm.kind: pipedrive and leaves mapping.dir at
// mappings/hubspot. validate and crm check listed the HubSpot files'
// problems (a property type Pipedrive has not, a deal without a title),
// each at a line of a mapping file, and nothing at the line of the
// configuration to change. They now name it, and the folder to write.
func TestMappingDirLeftAtTheOtherCRMNamesTheConfigLine(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	dir := t.TempDir()
	hubspot, _ := filepath.Abs("../../mappings/hubspot")
	pipedrive := pipedriveConfig(dir, "http://127.0.0.1:9/api/v2")
	yaml := strings.Replace(pipedrive, filepath.Join(filepath.Dir(hubspot), "pipedrive"), hubspot, 1)
	if yaml == pipedrive {
		t.Fatalf("mapping.dir not found to change in:\n%s", pipedrive)
	}
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(regexp.QuoteMeta(config) + `:\d+: mapping.dir ` + regexp.QuoteMeta(hubspot) +
		` is the hubspot mappings' folder, while crm.kind is pipedrive: write dir: ` +
		regexp.QuoteMeta(filepath.Join(filepath.Dir(hubspot), "pipedrive")) + ` under mapping:`)
	for _, args := range [][]string{{"validate", "-offline"}, {"crm", "check"}} {
		out, stderr, code := syncdRun(t, append(args, "-config", config)...)
		if code != 2 || !line.MatchString(stderr) {
			t.Errorf("syncd %s with the HubSpot mappings and crm.kind pipedrive: exit %d\n%s%s\nwant exit 2 and a line matching %s",
				strings.Join(args, " "), code, out, stderr, line)
		}
	}
}
