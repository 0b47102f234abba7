package store

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// HTTPStatus classifies a database error the way clients should react to it, for every surface
// (resource routes, QueryData, the CLI's exit messages): 503 when the database cannot serve now
// and a retry later may work (down, unreachable, shutting down, out of connection slots), 504 when
// the statement ran out of time (statement timeout, cancel, the request's deadline), 400 for
// everything else the request or its data caused. It returns 0 for errors it does not know,
// which the caller treats as its own fault.
func HTTPStatus(err error) int {
	if err == nil {
		return 0
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "57014" || pgErr.Code == "55P03" || pgErr.Code == "25P03": // query_canceled, lock_not_available, idle_in_transaction_session_timeout
			return http.StatusGatewayTimeout
		case pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03" || // admin/crash shutdown, cannot connect now
			pgErr.Code == "53300" || pgErr.Code == "53400" || // too many connections, configuration limit exceeded
			pgErr.Code == "57P05" || strings.HasPrefix(pgErr.Code, "08"): // idle session timeout, connection exceptions
			return http.StatusServiceUnavailable
		}
		return http.StatusBadRequest
	}
	var ce *pgconn.ConnectError
	var tooBig *pgproto3.ExceededMaxBodyLenErr
	var ne net.Error
	switch {
	case errors.As(err, &tooBig):
		return http.StatusBadRequest // the query asked for a row larger than allowed
	case errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err):
		return http.StatusGatewayTimeout
	case errors.As(err, &ce), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed), errors.As(err, &ne),
		strings.Contains(err.Error(), "conn closed"):
		return http.StatusServiceUnavailable
	}
	return 0
}
