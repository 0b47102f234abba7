package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// keyPrefix starts every API key, so a leaked key is recognisable (secret scanners, logs).
const keyPrefix = "plk_"

// Key is an API key's record; the secret itself is never stored (only its SHA-256).
type Key struct {
	ID             string     `json:"id"`
	Name           string     `json:"name"`
	CreatedAt      time.Time  `json:"createdAt"`
	RevokedAt      *time.Time `json:"revokedAt,omitempty"`
	RESTPerHour    int        `json:"restPerHour"`
	GraphQLPerHour int        `json:"graphqlPerHour"`
}

// Keys manages API keys in the api_keys table.
type Keys struct{ DB *pgxpool.Pool }

// ErrNoKey is returned for a missing, unknown or revoked key.
var ErrNoKey = errors.New("missing, unknown or revoked API key")

func hashKey(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// Create makes a key named name with the default rate limits (1,000 REST requests and 500
// GraphQL queries per hour unless restPerHour / graphqlPerHour > 0 say otherwise) and returns
// it with its secret, which is shown this once.
func (k Keys) Create(ctx context.Context, name string, restPerHour, graphqlPerHour int, now time.Time) (Key, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return Key{}, "", errors.New("key name must be 1 to 200 characters")
	}
	if restPerHour <= 0 {
		restPerHour = 1000
	}
	if graphqlPerHour <= 0 {
		graphqlPerHour = 500
	}
	var raw [32]byte
	var idb [6]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return Key{}, "", err
	}
	if _, err := rand.Read(idb[:]); err != nil {
		return Key{}, "", err
	}
	secret := keyPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	key := Key{ID: "k_" + hex.EncodeToString(idb[:]), Name: name, CreatedAt: now.UTC().Truncate(time.Second),
		RESTPerHour: restPerHour, GraphQLPerHour: graphqlPerHour}
	_, err := k.DB.Exec(ctx, `INSERT INTO api_keys (id, name, key_sha256, created_at, rest_per_hour, graphql_per_hour)
		VALUES ($1, $2, $3, $4, $5, $6)`, key.ID, key.Name, hashKey(secret), key.CreatedAt, restPerHour, graphqlPerHour)
	if err != nil {
		return Key{}, "", fmt.Errorf("store API key: %w", err)
	}
	return key, secret, nil
}

// List returns every key, newest first (revoked ones included, marked).
func (k Keys) List(ctx context.Context) ([]Key, error) {
	rows, err := k.DB.Query(ctx, `SELECT id, name, created_at, revoked_at, rest_per_hour, graphql_per_hour
		FROM api_keys ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("list API keys: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Key, error) {
		var x Key
		err := r.Scan(&x.ID, &x.Name, &x.CreatedAt, &x.RevokedAt, &x.RESTPerHour, &x.GraphQLPerHour)
		return x, err
	})
}

// Revoke revokes key id; revoking an unknown or already revoked key is an error saying so.
func (k Keys) Revoke(ctx context.Context, id string, now time.Time) error {
	tag, err := k.DB.Exec(ctx, `UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, id, now.UTC())
	if err != nil {
		return fmt.Errorf("revoke API key: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("no active API key %q (see `platformlens apikey list`)", id)
	}
	return nil
}

// Authenticate finds the active key whose secret is secret.
func (k Keys) Authenticate(ctx context.Context, secret string) (Key, error) {
	if !strings.HasPrefix(secret, keyPrefix) || len(secret) > 200 {
		return Key{}, ErrNoKey
	}
	var x Key
	err := k.DB.QueryRow(ctx, `SELECT id, name, created_at, revoked_at, rest_per_hour, graphql_per_hour
		FROM api_keys WHERE key_sha256 = $1 AND revoked_at IS NULL`, hashKey(secret)).
		Scan(&x.ID, &x.Name, &x.CreatedAt, &x.RevokedAt, &x.RESTPerHour, &x.GraphQLPerHour)
	if errors.Is(err, pgx.ErrNoRows) {
		return Key{}, ErrNoKey
	}
	return x, err
}
