package main

import (
	"context"
	"fmt"
	"io"
)

func init() {
	register(command{
		name:    "migrate",
		summary: "create or upgrade the PlatformLens schema (safe to run concurrently and repeatedly)",
		usage:   "[--dsn DSN] [--schema NAME] [--json]",
		run:     runMigrate,
	})
}

func runMigrate(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlagSet("migrate")
	db := addDBFlags(fs)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	st, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(out, res)
	}
	if len(res.Applied) == 0 {
		_, err = fmt.Fprintf(out, "schema %q is up to date at version %d (%s mode)\n", st.Schema(), res.Version, res.Mode)
		return err
	}
	for _, m := range res.Applied {
		fmt.Fprintf(out, "applied %04d_%s\n", m.Version, m.Name)
	}
	for _, n := range res.Notices {
		fmt.Fprintf(out, "notice: %s\n", n)
	}
	_, err = fmt.Fprintf(out, "schema %q migrated to version %d (%s mode)\n", st.Schema(), res.Version, res.Mode)
	return err
}
