package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// The read role: migration 0003 creates a NOLOGIN role, "<schema>_reader", with USAGE on the
// schema and SELECT on its tables and views (also future ones), and grants it to the migrating
// role. Queries (SQL mode, metrics) run with SET LOCAL ROLE to it inside their read-only
// transaction, so the database itself refuses anything beyond reading the PlatformLens tables.
// When the migrating role may not create roles, the migration still succeeds; SQL mode is then
// refused until an admin runs ReadRoleSQL, and health says so.

// readerSuffix is appended to the schema name to name its read role.
const readerSuffix = "_reader"

// ReaderRole returns the name of the read role of schema. PostgreSQL truncates names to 63
// bytes, so the schema part is cut to leave room for the suffix (the migration does the same).
func ReaderRole(schema string) string {
	r := []rune(schema)
	if len(r) > 63-len(readerSuffix) {
		r = r[:63-len(readerSuffix)]
	}
	return string(r) + readerSuffix
}

// ServerPrivilegedRoles are the predefined roles whose members reach the server's operating
// system (run programs, read or write any file); a superuser has all of them.
var ServerPrivilegedRoles = []string{"pg_execute_server_program", "pg_read_server_files", "pg_write_server_files"}

// Privileges describes what the connection's login role (session_user) may do and whether the
// read role is usable.
type Privileges struct {
	User         string   `json:"user"`         // session_user
	Superuser    bool     `json:"superuser"`    // rolsuper of session_user
	ServerRoles  []string `json:"serverRoles"`  // ServerPrivilegedRoles session_user is a member of
	ReaderRole   string   `json:"readerRole"`   // ReaderRole(schema)
	ReaderExists bool     `json:"readerExists"` // the role exists
	ReaderReady  bool     `json:"readerReady"`  // it exists and session_user may SET ROLE to it
}

// Privileged reports whether the login role can reach the operating system or every file.
func (p Privileges) Privileged() bool { return p.Superuser || len(p.ServerRoles) > 0 }

// Describe names the privilege ("a superuser", "a member of pg_read_server_files") for messages.
func (p Privileges) Describe() string {
	if p.Superuser {
		return fmt.Sprintf("user %q is a superuser", p.User)
	}
	return fmt.Sprintf("user %q is a member of %s", p.User, strings.Join(p.ServerRoles, ", "))
}

// privilegesSQL reads the session user's attributes and the read role in one round trip. The
// session user counts, not current_user: SET ROLE can always switch back to it.
const privilegesSQL = `SELECT session_user::text, r.rolsuper,
	ARRAY(SELECT p FROM unnest($2::text[]) AS p WHERE pg_has_role(session_user, p, 'MEMBER')),
	EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1),
	coalesce((SELECT pg_has_role(session_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = $1), false)
FROM pg_roles r WHERE r.rolname = session_user`

// SessionPrivileges reads the Privileges of a connection (pool, conn or transaction).
func SessionPrivileges(ctx context.Context, db queryRower, schema string) (Privileges, error) {
	p := Privileges{ReaderRole: ReaderRole(schema)}
	err := db.QueryRow(ctx, privilegesSQL, p.ReaderRole, ServerPrivilegedRoles).
		Scan(&p.User, &p.Superuser, &p.ServerRoles, &p.ReaderExists, &p.ReaderReady)
	if err != nil {
		return Privileges{}, fmt.Errorf("read the database user's privileges: %w", err)
	}
	return p, nil
}

// Privileges reads the Privileges of the store's connections.
func (s *Store) Privileges(ctx context.Context) (Privileges, error) {
	return SessionPrivileges(ctx, s.pool, s.schema)
}

// ErrPrivilegedConnection is returned (wrapped) when SQL mode is refused because the login role
// is a superuser or may reach the server's files and programs.
var ErrPrivilegedConnection = errors.New("the database user is privileged")

// ErrNoReadRole is returned (wrapped) when the read role is missing or not granted.
var ErrNoReadRole = errors.New("the read role is not set up")

// ReadOnlyOptions says how BeginQuery guards a transaction.
type ReadOnlyOptions struct {
	// AllowPrivileged runs even when the login role is privileged (jsonData
	// allowSqlModeWithPrivilegedRole, set by an Admin); otherwise such connections are refused.
	AllowPrivileged bool
	// RequireReader refuses when the read role is missing (SQL mode); without it the
	// transaction stays on the login role when there is no read role (metric queries).
	RequireReader bool
}

// GuardTx prepares a read-only transaction for running queries: it refuses privileged login
// roles (unless allowed), switches to the read role with SET LOCAL ROLE (set_config with a bound
// value) and makes sure strings are lexed the standard way. Everything ends with the transaction.
func GuardTx(ctx context.Context, tx pgx.Tx, schema string, o ReadOnlyOptions) (Privileges, error) {
	p, err := SessionPrivileges(ctx, tx, schema)
	if err != nil {
		return p, err
	}
	if p.Privileged() && !o.AllowPrivileged {
		return p, fmt.Errorf("%w: SQL mode is refused because %s, so a query could read server files or run programs; "+
			"connect the datasource as a least-privilege role (README, \"Least-privilege database role\"): %s",
			ErrPrivilegedConnection, p.Describe(), compact(LeastPrivilegeSQL(schema, "platformlens_app")))
	}
	if !p.ReaderReady {
		if o.RequireReader {
			return p, fmt.Errorf("%w: SQL mode needs the read-only role %q, which %s; run the migration as a role with CREATEROLE, or ask a database admin to run: %s",
				ErrNoReadRole, p.ReaderRole, readerProblem(p), compact(ReadRoleSQL(schema, p.User)))
		}
		_, err = tx.Exec(ctx, "SELECT set_config('standard_conforming_strings', 'on', true)")
		return p, err
	}
	_, err = tx.Exec(ctx, "SELECT set_config('role', $1, true), set_config('standard_conforming_strings', 'on', true)", p.ReaderRole)
	return p, err
}

func readerProblem(p Privileges) string {
	if !p.ReaderExists {
		return "does not exist"
	}
	return fmt.Sprintf("is not granted to user %q", p.User)
}

// compact puts a multi-line SQL script on one line for error messages.
func compact(sql string) string {
	return strings.Join(strings.Fields(sql), " ")
}

// ReadRoleSQL is what an admin runs to create the read role of schema for the login role user
// (the role that owns the schema and runs the migrations).
func ReadRoleSQL(schema, user string) string {
	r, s, u := pgx.Identifier{ReaderRole(schema)}.Sanitize(), pgx.Identifier{schema}.Sanitize(), pgx.Identifier{user}.Sanitize()
	return fmt.Sprintf(`CREATE ROLE %[1]s NOLOGIN;
GRANT USAGE ON SCHEMA %[2]s TO %[1]s;
GRANT SELECT ON ALL TABLES IN SCHEMA %[2]s TO %[1]s;
ALTER DEFAULT PRIVILEGES FOR ROLE %[3]s IN SCHEMA %[2]s GRANT SELECT ON TABLES TO %[1]s;
GRANT %[1]s TO %[3]s;`, r, s, u)
}

// LeastPrivilegeSQL is what an admin runs to create a login role for PlatformLens that owns the
// schema but is neither a superuser nor a member of ServerPrivilegedRoles, plus its read role,
// so that no CREATEROLE is needed (before PostgreSQL 16, CREATEROLE could grant itself the
// server roles). Migrating as that role then grants the read role SELECT on the tables.
func LeastPrivilegeSQL(schema, user string) string {
	u, s, r := pgx.Identifier{user}.Sanitize(), pgx.Identifier{schema}.Sanitize(), pgx.Identifier{ReaderRole(schema)}.Sanitize()
	return fmt.Sprintf(`CREATE ROLE %[1]s LOGIN PASSWORD 'change-me' NOSUPERUSER NOCREATEROLE NOCREATEDB;
CREATE SCHEMA IF NOT EXISTS %[2]s AUTHORIZATION %[1]s;
CREATE ROLE %[3]s NOLOGIN;
GRANT %[3]s TO %[1]s;`, u, s, r)
}
