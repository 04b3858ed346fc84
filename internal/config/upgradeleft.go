package config

import (
	"os"
	"path/filepath"
)

// upgradeLeft returns a warning for each file dpkg left beside the
// configuration file (the Debian package's /etc/syncd/syncd.yaml is a
// conffile): an upgrade whose example configuration changed keeps an
// edited syncd.yaml and puts the package's beside it as
// syncd.yaml.dpkg-dist, or, told to take the package's, keeps the edited
// one as syncd.yaml.dpkg-old; one that stopped at dpkg's question leaves
// syncd.yaml.dpkg-new. syncd reads none of them, and nothing else says
// that the shipped file changed.
func upgradeLeft(file string) []Problem {
	var out []Problem
	name := filepath.Base(file)
	for _, end := range []string{".dpkg-dist", ".dpkg-old", ".dpkg-new"} {
		left := file + end
		if _, err := os.Stat(left); err != nil {
			continue
		}
		var msg string
		switch end {
		case ".dpkg-dist":
			msg = "the package's new " + name + " is beside it, put there by an upgrade because you had edited yours: see what it changes with diff -u " +
				file + " " + left + ", take what you want of it into " + name + ", then remove " + left
		case ".dpkg-old":
			msg = "your edited " + name + " is beside it, kept when an upgrade put the package's new one in its place: see what you had changed with diff -u " +
				file + " " + left + ", take it into " + name + " again if you still want it, then remove " + left
		default:
			msg = "the package's new " + name + " is beside it, not yet in place (" + left + "): an upgrade of the package did not finish (dpkg --configure -a finishes it)"
		}
		out = append(out, Problem{File: file, Msg: msg})
	}
	return out
}
