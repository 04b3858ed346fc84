package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
)

// logCredentialCopies says, after a reload, which secret files were read
// from $CREDENTIALS_DIRECTORY: systemd copies there the files its
// LoadCredential= lines name when the service starts, and not at a reload
// (systemd 252), so a token written to /etc/syncd/credentials since is
// taken by a restart only, while the reload itself succeeds.
func logCredentialCopies(log zerolog.Logger, cfg *config.Config) {
	dir := os.Getenv("CREDENTIALS_DIRECTORY")
	var copies []string
	for _, f := range cfg.SecretFiles() {
		if !filepath.IsAbs(f) {
			copies = append(copies, f)
		}
	}
	if dir == "" || len(copies) == 0 {
		return
	}
	log.Info().Str("credentials", strings.Join(copies, " ")).Str("credentials_directory", dir).
		Msg("secret files read again from $CREDENTIALS_DIRECTORY, systemd's copies made when the service started: " +
			"one changed in the file its LoadCredential= names since is taken by systemctl restart syncd, not by a reload")
}
