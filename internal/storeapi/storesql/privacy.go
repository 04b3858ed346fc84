package storesql

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Row is one row a store's query returned.
type Row interface {
	Scan(dest ...any) error
}

// QueryRow runs a query that returns one row in a store's transaction.
type QueryRow func(ctx context.Context, query string, args ...any) Row

// SubjectHash returns the audit trail's name for id: HMAC-SHA256 keyed
// with the database's own random salt (state 'privacy.salt', carried over
// by migrate-store), made on first use, at now.
func SubjectHash(ctx context.Context, d Dialect, q QueryRow, id string, now any) (string, error) {
	salt := make([]byte, 32)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	var stored string
	err := q(ctx, d(`INSERT INTO state (name, value, updated_at) VALUES ('privacy.salt', ?1, ?2)
		ON CONFLICT (name) DO UPDATE SET name = state.name RETURNING value`), hex.EncodeToString(salt), now).Scan(&stored)
	if err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	return syncd.AuditHash(stored, id), nil
}

// AuditHashes returns the audit trail's names for s (its AuditIDs, hashed
// as SubjectHash does), or none when no erase ever ran: there is no salt
// yet, and no entry to find.
func AuditHashes(ctx context.Context, q QueryRow, s syncd.Subject) ([]string, error) {
	var salt string
	if err := q(ctx, `SELECT coalesce((SELECT value FROM state WHERE name = 'privacy.salt'), '')`).Scan(&salt); err != nil {
		return nil, fmt.Errorf("erasures: %w", err)
	}
	if salt == "" {
		return nil, nil
	}
	var hashes []string
	for _, id := range s.AuditIDs() {
		hashes = append(hashes, syncd.AuditHash(salt, id))
	}
	return hashes, nil
}

// Audit is the statement that records er, made at at, in the audit trail
// of erasures.
func Audit(d Dialect, at any, er syncd.Erasure) Step {
	return Step{nil, d(`INSERT INTO erasures (at, subject_hash, events, quarantined, ops, links, crm_ops, intents)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`), []any{at, er.SubjectHash, er.Events, er.Quarantined, er.Ops, er.Links, er.CRMOps, er.Intents}}
}
