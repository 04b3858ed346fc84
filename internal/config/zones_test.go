package config

import (
	"archive/zip"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var updateZones = flag.Bool("update-zones", false, "rewrite zones.txt from Go's time zone database")

// TestZoneListIsGos: zones.txt, the names a misspelt report.time_zone is
// compared with, is the list of Go's own time zone database, the one the
// binary links (time/tzdata), and each of them loads; -update-zones rewrites
// it from $GOROOT/lib/time/zoneinfo.zip after a Go upgrade.
func TestZoneListIsGos(t *testing.T) {
	names := strings.Fields(zoneList)
	for _, n := range names {
		if _, err := time.LoadLocation(n); err != nil {
			t.Errorf("zones.txt: %s: %v", n, err)
		}
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("go env GOROOT: %v", err)
	}
	zr, err := zip.OpenReader(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Skipf("Go's zoneinfo.zip: %v", err)
	}
	defer zr.Close()
	var gos []string
	for _, f := range zr.File {
		gos = append(gos, f.Name)
	}
	slices.Sort(gos)
	if *updateZones {
		if err := os.WriteFile("zones.txt", []byte(strings.Join(gos, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !slices.Equal(names, gos) {
		t.Errorf("zones.txt has %d names, Go's database %d: run go test ./internal/config -run TestZoneListIsGos -update-zones", len(names), len(gos))
	}
}
