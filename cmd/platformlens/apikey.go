package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/api"
)

func init() {
	register(command{
		name:    "apikey",
		summary: "create, list or revoke read-only API keys of the REST and GraphQL API (Admin)",
		usage:   "create --name NAME [--rest-per-hour N] [--graphql-per-hour N] | list [--json] | revoke ID",
		run:     runAPIKey,
	})
}

func runAPIKey(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return usagef("say create, list or revoke")
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("apikey")
	db := addDBFlags(fs)
	var name *string
	var rest, gql *int
	var asJSON *bool
	switch sub {
	case "create":
		name = fs.String("name", "", "what the key is for (shown in lists and logs)")
		rest = fs.Int("rest-per-hour", 1000, "REST requests allowed per hour")
		gql = fs.Int("graphql-per-hour", 500, "GraphQL queries allowed per hour")
	case "list":
		asJSON = fs.Bool("json", false, "print JSON")
	case "revoke":
	default:
		return usagef("unknown apikey subcommand %q: use create, list or revoke", sub)
	}
	if err := parseFlags(fs, args, sub == "revoke"); err != nil {
		return err
	}
	if sub == "revoke" && fs.NArg() != 1 {
		return usagef("revoke takes one key id (see `platformlens apikey list`)")
	}
	if sub == "create" && *name == "" {
		return usagef("--name is required")
	}
	st, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	keys := api.Keys{DB: st.Pool()}
	now := time.Now()
	switch sub {
	case "create":
		k, secret, err := keys.Create(ctx, *name, *rest, *gql, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "created API key %s (%s): %d REST requests and %d GraphQL queries per hour\n", k.ID, k.Name, k.RESTPerHour, k.GraphQLPerHour)
		fmt.Fprintf(out, "key (shown once, store it now): %s\n", secret)
		return nil
	case "revoke":
		if err := keys.Revoke(ctx, fs.Arg(0), now); err != nil {
			return err
		}
		fmt.Fprintf(out, "revoked %s\n", fs.Arg(0))
		return nil
	}
	list, err := keys.List(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(out, list)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCREATED\tREST/H\tGRAPHQL/H\tSTATUS")
	for _, k := range list {
		status := "active"
		if k.RevokedAt != nil {
			status = "revoked " + k.RevokedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", k.ID, k.Name, k.CreatedAt.UTC().Format(time.RFC3339), k.RESTPerHour, k.GraphQLPerHour, status)
	}
	return tw.Flush()
}
