package postgres

import (
	"errors"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// Plainly says in plain words why a connection to the database failed
// (err, as Open returns it), with no host, user or password in it: the
// operator reads the host beside it. An error it does not know is said as
// it is.
func Plainly(err error) string {
	var pgErr *pgconn.PgError
	var dnsErr *net.DNSError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &pgErr):
		return pgPlainly(pgErr)
	case errors.As(err, &dnsErr):
		return "the host name does not resolve (a name misspelt, or DNS down)"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: nothing listens at that address and port (PostgreSQL stopped or not started yet, or another port)"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "no route to that host (the host down, or the network to it)"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was cut as it began (the server stopping, or something between)"
	case pgconn.Timeout(err):
		return "no answer in time (the host down, the network to it, or a firewall dropping it)"
	}
	return err.Error()
}

// pgPlainly says what the server answered a connection with.
func pgPlainly(e *pgconn.PgError) string {
	switch e.Code {
	case "57P03":
		return "the server is starting up or shutting down (" + e.Message + ")"
	case "57P01":
		return "the server is shutting down"
	case tooManyConnections:
		return "the server has no connection free (max_connections, or a CONNECTION LIMIT)"
	}
	return "the server refused: " + e.Message + " (SQLSTATE " + e.Code + ")"
}
