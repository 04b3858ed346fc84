package main

import (
	"context"
	"errors"

	"github.com/syncd-dev/syncd/internal/config"
)

func openPostgres(ctx context.Context, cfg *config.Config, onError func(error)) (*backend, error) {
	return nil, errors.New("postgres: not yet")
}
