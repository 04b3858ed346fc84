package main_test

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestFakePipedrivePipelineHiddenAfterSetup: `syncd fakecrm -kind
// pipedrive -regular-user` could hide a pipeline only at start, so an
// operator could not play one an admin hides, or deletes, after setup.
// Its admin API hides the pipeline the shipped mappings write, shows it
// again and deletes it while it runs, and `syncd crm check` against it
// says each.
func TestFakePipedrivePipelineHiddenAfterSetup(t *testing.T) {
	t.Parallel()
	addr := startFakeCRMCmd(t, "-kind", "pipedrive", "-regular-user")
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(pipedriveConfig(dir, "http://"+addr+"/api/v2")), 0o600); err != nil {
		t.Fatal(err)
	}
	admin := func(method, path string) {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+addr+"/__admin/pipelines/"+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %s", method, path, resp.Status)
		}
	}
	hidden := "Pipedrive does not show it a pipeline its visibility group may not see"
	check := func(when string, say, sayNot string) {
		t.Helper()
		out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
		t.Logf("%s: syncd crm check, exit %d:\n%s%s", when, code, out, stderr)
		if say != "" && !strings.Contains(out, say) {
			t.Errorf("%s: crm check does not say %q", when, say)
		}
		if sayNot != "" && strings.Contains(out, sayNot) {
			t.Errorf("%s: crm check says %q", when, sayNot)
		}
	}
	check("as started", "", `"Pipeline"`)
	admin(http.MethodPost, "Pipeline/hide")
	check("hidden", `no pipeline named or numbered "Pipeline"; the token's user is not an admin, and `+hidden, "")
	admin(http.MethodPost, "Pipeline/show")
	check("shown again", "", `"Pipeline"`)
	admin(http.MethodDelete, "Pipeline")
	check("deleted", `no pipeline named or numbered "Pipeline"`, "")
}

// TestFakeHubSpotSecondPipeline: `syncd fakecrm` played a HubSpot account
// of one pipeline, so an operator could not try mappings that send deals to
// a second one (Lettings beside the default Sales Pipeline), nor see what
// syncd says of a stage written without its pipeline. -pipeline NAME adds
// one and prints its ids; `syncd crm setup` and check pass with its id and
// a stage's written, and the check refuses the stage written alone (HubSpot
// would put the deal in the default pipeline), naming the pipeline to write.
func TestFakeHubSpotSecondPipeline(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addr, pipe, stage := startFakeLettings(t, dir)
	lettings := `${1}pipeline: {const: "` + pipe + `", write: create}`
	maps, shipped, _ := lettingsStageMappings(t, dir, stage, map[string]string{"eaf.yaml": lettings, "lokalebasen.yaml": lettings})
	config := writeListeningConfig(t, dir, crmConfig(dir, "http://"+addr, e2eLBToken), shipped, maps)
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("setup with Lettings and its stage: exit %d, want 0\n%s%s", code, out, stderr)
	}
	if out, stderr, code := syncdRun(t, "crm", "check", "-config", config); code != 0 {
		t.Errorf("check of Lettings and its stage: exit %d, want 0\n%s%s", code, out, stderr)
	}
	lettingsStageMappings(t, dir, stage, map[string]string{"eaf.yaml": "${1}# no pipeline", "lokalebasen.yaml": "${1}# no pipeline"})
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("Lettings' stage %s written alone: syncd crm check, exit %d:\n%s%s", stage, code, out, stderr)
	if flat := strings.Join(strings.Fields(out), " "); code != 2 || !strings.Contains(flat, `deal stage "`+stage+`" is not a stage of the default pipeline`) ||
		!strings.Contains(flat, "it is a stage of pipeline "+pipe+" (Lettings): write that pipeline's id as pipeline beside it") {
		t.Errorf("check of Lettings' stage written alone: exit %d, want 2 naming pipeline %s", code, pipe)
	}
}

// TestEachRulesStageIsCheckedAgainstItsOwnPipeline: two rules, one (eaf)
// writing pipeline Lettings and its stage, the other (lokalebasen) the
// same stage with the default pipeline, or with none. `syncd crm check`
// looked for every stage in every pipeline any rule wrote, so it passed,
// `syncd crm setup` said done, and HubSpot refused every deal of
// lokalebasen (a pause, then dead letters). Both now refuse the stage,
// naming lokalebasen's line alone; eaf's rule passes.
func TestEachRulesStageIsCheckedAgainstItsOwnPipeline(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addr, pipe, stage := startFakeLettings(t, dir)
	config := ""
	for _, other := range []string{`${1}pipeline: {const: default, write: create}`, "${1}# no pipeline"} {
		maps, shipped, stageLine := lettingsStageMappings(t, dir, stage,
			map[string]string{"eaf.yaml": `${1}pipeline: {const: "` + pipe + `", write: create}`, "lokalebasen.yaml": other})
		if config == "" {
			config = writeListeningConfig(t, dir, crmConfig(dir, "http://"+addr, e2eLBToken), shipped, maps)
		}
		eaf, lb := stageLine["eaf.yaml"], stageLine["lokalebasen.yaml"]
		for _, cmd := range []string{"setup", "check"} { // setup first: check then finds every property made
			out, stderr, code := syncdRun(t, "crm", cmd, "-config", config)
			flat := strings.Join(strings.Fields(out), " ")
			if code != 2 || !strings.Contains(flat, `deal stage "`+stage+`" is not a stage of the`) ||
				!strings.Contains(flat, "it is a stage of pipeline "+pipe+" (Lettings): write that pipeline's id as pipeline beside it (pipeline: {const: \""+pipe+"\"}) in "+lb) ||
				strings.Contains(flat, eaf) {
				t.Errorf("lokalebasen %q beside Lettings' stage, eaf Lettings' pipeline: crm %s: exit %d, want 2 naming %s alone\n%s%s", other, cmd, code, lb, out, stderr)
			}
		}
	}
}

// lettingsStageMappings writes the shipped HubSpot mappings into dir/maps
// (shippedMappingsEdited) with Lettings' stage as each file's dealstage and
// pipeline[file] in place of its pipeline line, and returns the folders
// and the line of each file's dealstage, as the configuration's folder
// names it.
func lettingsStageMappings(t *testing.T, dir, stage string, pipeline map[string]string) (maps, shipped string, stageLine map[string]string) {
	t.Helper()
	stageLine = map[string]string{}
	maps, shipped = shippedMappingsEdited(t, dir, "hubspot", func(name, s string) string {
		s = regexp.MustCompile(`(?m)^( *)pipeline: .*$`).ReplaceAllString(s, pipeline[name])
		s = regexp.MustCompile(`(?m)^( *dealstage:) .*$`).ReplaceAllString(s, `$1 {const: "`+stage+`", write: create}`)
		for i, l := range strings.Split(s, "\n") {
			if strings.Contains(l, "dealstage:") {
				stageLine[name] = "maps/" + name + ":" + strconv.Itoa(i+1)
				break
			}
		}
		return s
	})
	return maps, shipped, stageLine
}

// startFakeLettings starts `syncd fakecrm -pipeline Lettings`, its log in
// dir, and returns its address and the ids it prints of Lettings and of
// its first stage.
func startFakeLettings(t *testing.T, dir string) (addr, pipe, stage string) {
	t.Helper()
	addr = freeAddr(t)
	logf, err := os.Create(filepath.Join(dir, "fakecrm.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logf.Close() })
	fake := syncdCmd("fakecrm", "-listen", addr, "-pipeline", "Lettings")
	fake.Stderr = logf
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Process.Kill(); fake.Wait() })
	said := regexp.MustCompile(`pipeline "Lettings" has id (\d+), its stages (\d+) \(appointmentscheduled\)`)
	var m []string
	waitFor(t, "fakecrm to listen and name the pipeline", func() bool {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return false
		}
		conn.Close()
		out, _ := os.ReadFile(logf.Name())
		m = said.FindStringSubmatch(string(out))
		return m != nil
	})
	return addr, m[1], m[2]
}
