// Command platformlens is the PlatformLens command-line tool: schema migration, store status,
// demo data, the metric catalog, ad hoc metric queries and file imports.
//
// # Adding a subcommand
//
// Each subcommand lives in its own file (migrate.go, status.go, demo.go, catalog.go, query.go,
// import.go) and registers itself from init:
//
//	func init() {
//		register(command{
//			name:    "status",
//			summary: "show store mode, schema version and table freshness",
//			usage:   "[--json]",
//			run:     runStatus,
//		})
//	}
//
//	func runStatus(ctx context.Context, args []string, out io.Writer) error {
//		fs := newFlagSet("status")
//		db := addDBFlags(fs)            // --dsn / PLATFORMLENS_DSN, --schema
//		asJSON := fs.Bool("json", false, "print JSON")
//		if err := parseFlags(fs, args, false); err != nil { // false: no positional args
//			return err
//		}
//		st, err := db.open(ctx)         // *store.Store; close it when done
//		...
//	}
//
// run gets the arguments after the subcommand name and writes results to out. It returns an
// error instead of printing one: main prints it as a single line on stderr, prefixed with the
// command name (connection errors explained by store.Explain), and exits with status 1
// (2 for usage errors: return usagef(...) for a bad flag or argument). The context is cancelled on Ctrl-C / SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// command is one subcommand of the CLI.
type command struct {
	name    string // as typed: platformlens <name>
	summary string // one line for the command list
	usage   string // argument synopsis after the name, e.g. "[--json]"; may be empty
	run     func(ctx context.Context, args []string, out io.Writer) error
}

var commands = map[string]command{}

// helpOut is where -h prints a command's flags: runMain's stdout.
var helpOut io.Writer = os.Stdout

// register adds a subcommand; it is called from init functions, so a duplicate name is a
// programming error and panics at start-up.
func register(c command) {
	if _, dup := commands[c.name]; dup || c.name == "" || c.run == nil {
		panic("platformlens: invalid or duplicate command " + c.name)
	}
	commands[c.name] = c
}

// usageError is an error caused by how the command was invoked (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// interruptedError ends a command stopped by Ctrl-C / SIGTERM after it stored part of its work;
// the commands that use it are idempotent, so running them again completes the work.
type interruptedError struct{ stored int64 }

func (e interruptedError) Error() string {
	return fmt.Sprintf("interrupted: %d rows stored, run again to finish", e.stored)
}

// usagef returns a usageError; subcommands use it for bad flags or arguments.
func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// runMain dispatches to a subcommand and turns its error into one line on stderr and an exit code.
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version" || args[0] == "version") {
		fmt.Fprintln(stdout, versionString())
		return 0
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	helpOut = stdout
	defer func() { helpOut = os.Stdout }()
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "platformlens: unknown command %q (run `platformlens help` for the list)\n", args[0])
		return 2
	}
	err := c.run(ctx, args[1:], stdout)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "platformlens %s: %s\n", c.name, oneLine(err.Error()))
		return 2
	case errors.As(err, new(interruptedError)):
		fmt.Fprintf(stderr, "platformlens %s: %s\n", c.name, oneLine(err.Error()))
		return 130 // the shell's convention for "ended by SIGINT"
	}
	fmt.Fprintf(stderr, "platformlens %s: %s\n", c.name, oneLine(describe(err)))
	return 1
}

// describe explains connection failures (store.Explain) and keeps other errors' context.
func describe(err error) string {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return store.Explain(err)
	}
	return err.Error()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: platformlens <command> [flags]   (platformlens --version)")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nConnection: --dsn or PLATFORMLENS_DSN (postgres://user@host:5432/db?sslmode=require), --schema (default platformlens).")
	fmt.Fprintln(w, "Run `platformlens <command> -h` for a command's flags, `platformlens --version` for the version.")
}

// newFlagSet returns a FlagSet that reports parse errors to the caller instead of exiting;
// -h prints the flags and ends the command successfully.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("platformlens "+name, flag.ContinueOnError)
	fs.Usage = func() {
		c := commands[name]
		fmt.Fprintf(fs.Output(), "Usage: platformlens %s %s\n%s\n\nFlags:\n", name, c.usage, c.summary)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and marks failures as usage errors; it rejects stray positional
// arguments unless allowArgs is set.
func parseFlags(fs *flag.FlagSet, args []string, allowArgs bool) error {
	fs.SetOutput(io.Discard) // the error is returned and printed once by runMain
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(helpOut)
			fs.Usage()
			return err
		}
		return usagef("%v (run with -h for the flags)", err)
	}
	if !allowArgs && fs.NArg() > 0 {
		return usagef("unexpected argument %q (run with -h for the flags)", fs.Arg(0))
	}
	return nil
}

// dbFlags are the connection flags shared by every subcommand that talks to the database.
type dbFlags struct {
	dsn    string
	schema string
}

// addDBFlags registers --dsn (default $PLATFORMLENS_DSN) and --schema (default
// $PLATFORMLENS_SCHEMA, else platformlens) on fs.
func addDBFlags(fs *flag.FlagSet) *dbFlags {
	f := &dbFlags{}
	schema := os.Getenv("PLATFORMLENS_SCHEMA")
	if schema == "" {
		schema = store.DefaultSchema
	}
	// The flag's default stays empty so -help never prints a DSN (it may hold a password);
	// open falls back to the environment variable.
	fs.StringVar(&f.dsn, "dsn", "", "PostgreSQL connection string (default $PLATFORMLENS_DSN)")
	fs.StringVar(&f.schema, "schema", schema, "PostgreSQL schema of the PlatformLens tables ($PLATFORMLENS_SCHEMA sets the default)")
	return f
}

// open connects to the database named by the flags and checks that it answers, so connection
// problems surface as one explained error before any work starts. The caller closes the store.
func (f *dbFlags) open(ctx context.Context) (*store.Store, error) {
	if strings.TrimSpace(f.dsn) == "" {
		f.dsn = os.Getenv("PLATFORMLENS_DSN")
	}
	if strings.TrimSpace(f.dsn) == "" {
		return nil, usagef("no database given: pass --dsn postgres://user@host:5432/db or set PLATFORMLENS_DSN")
	}
	st, err := store.Open(ctx, store.ConfigFromDSN(f.dsn, f.schema))
	if err != nil {
		return nil, err
	}
	if err := st.Ping(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("cannot connect: %s", store.Explain(err))
	}
	return st, nil
}

// openMigrated is open plus the schema check of the commands that need the tables (demo, import, serve):
// an unmigrated or newer schema is refused with what to do before any work starts.
func (f *dbFlags) openMigrated(ctx context.Context) (*store.Store, error) {
	st, err := f.open(ctx)
	if err != nil {
		return nil, err
	}
	if err := st.CheckSchema(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// writeJSON prints v as indented JSON: the --json output of every subcommand.
func writeJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
