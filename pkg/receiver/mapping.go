package receiver

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Owner is what a repository or service name resolves to.
type Owner struct {
	Team        string
	TechStack   string
	ProductLine string
	Service     string // optional: the service a repository deploys; "" = the repository's short name
}

// Mapper resolves repository and service names to owners. Entries come from the
// receiver_repo_map table (Load) and an optional CSV file (LoadFile); file entries win, so a
// file checked into a platform repository can override the table. A name matches exactly or,
// failing that, through an owner wildcard "org/*" (the longest matching prefix wins).
type Mapper struct {
	mu    sync.RWMutex
	table map[string]Owner
	file  map[string]Owner
}

// NewMapper returns an empty Mapper: every name resolves to Unassigned.
func NewMapper() *Mapper { return &Mapper{table: map[string]Owner{}, file: map[string]Owner{}} }

// Resolve returns the owner of name and whether it was mapped; unmapped names get Unassigned
// for team, tech stack and product line.
func (m *Mapper) Resolve(name string) (Owner, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	key := strings.ToLower(strings.TrimSpace(name))
	for _, src := range []map[string]Owner{m.file, m.table} {
		if o, ok := src[key]; ok {
			return o, true
		}
	}
	// Owner wildcards, innermost group first ("a/b/c" tries "a/b/*", then "a/*").
	for i := strings.LastIndex(key, "/"); i > 0; i = strings.LastIndex(key[:i], "/") {
		w := key[:i] + "/*"
		for _, src := range []map[string]Owner{m.file, m.table} {
			if o, ok := src[w]; ok {
				return o, true
			}
		}
	}
	return Owner{Team: Unassigned, TechStack: Unassigned, ProductLine: Unassigned}, false
}

// Load replaces the table entries with the rows of receiver_repo_map (bounded: a mapping is
// hand-maintained, tens to thousands of rows).
func (m *Mapper) Load(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	rows, err := pool.Query(ctx, fmt.Sprintf(`SELECT name, team, tech_stack, product_line, coalesce(service, '')
		FROM %s ORDER BY name LIMIT 100000`, pgx.Identifier{schema, "receiver_repo_map"}.Sanitize()))
	if err != nil {
		return fmt.Errorf("read receiver_repo_map: %w", err)
	}
	next := map[string]Owner{}
	for rows.Next() {
		var name string
		var o Owner
		if err := rows.Scan(&name, &o.Team, &o.TechStack, &o.ProductLine, &o.Service); err != nil {
			return err
		}
		next[strings.ToLower(name)] = o
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read receiver_repo_map: %w", err)
	}
	m.mu.Lock()
	m.table = next
	m.mu.Unlock()
	return nil
}

// LoadFile reads a CSV mapping file with the header name,team,tech_stack[,product_line[,service]].
func (m *Mapper) LoadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("repository mapping file: %w", err)
	}
	defer f.Close()
	next, err := parseMapping(f)
	if err != nil {
		return fmt.Errorf("repository mapping file %s: %w", path, err)
	}
	m.mu.Lock()
	m.file = next
	m.mu.Unlock()
	return nil
}

func parseMapping(r io.Reader) (map[string]Owner, error) {
	cr := csv.NewReader(io.LimitReader(r, 16<<20))
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("no header line (want name,team,tech_stack[,product_line[,service]]): %w", err)
	}
	want := []string{"name", "team", "tech_stack", "product_line", "service"}
	if len(header) < 3 || len(header) > len(want) {
		return nil, fmt.Errorf("header %q: want name,team,tech_stack[,product_line[,service]]", strings.Join(header, ","))
	}
	for i, h := range header {
		if strings.TrimSpace(h) != want[i] {
			return nil, fmt.Errorf("header column %d is %q, want %q", i+1, h, want[i])
		}
	}
	out := map[string]Owner{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("line %d has %d fields, the header %d", line, len(rec), len(header))
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		o := Owner{Team: rec[1], TechStack: rec[2], ProductLine: Unassigned}
		if len(rec) > 3 && rec[3] != "" {
			o.ProductLine = rec[3]
		}
		if len(rec) > 4 {
			o.Service = rec[4]
		}
		if rec[0] == "" || o.Team == "" || o.TechStack == "" {
			return nil, fmt.Errorf("line %d: name, team and tech_stack must not be empty", line)
		}
		out[strings.ToLower(rec[0])] = o
	}
}

// owned fills team, tech_stack (and product_line when withProduct) of row from name's owner and
// returns the Event; service defaults to the mapping's service, else fallback.
func (m *Mapper) owned(table, name, fallbackService string, row map[string]any, withProduct bool) Event {
	o, ok := m.Resolve(name)
	row["team"] = o.Team
	if table != "incidents" {
		row["tech_stack"] = o.TechStack
	}
	if withProduct {
		row["product_line"] = o.ProductLine
	}
	if _, has := row["service"]; !has || row["service"] == "" {
		if o.Service != "" {
			row["service"] = o.Service
		} else if table != "pull_requests" {
			row["service"] = fallbackService
		}
	}
	if table == "pull_requests" {
		delete(row, "service")
	}
	return Event{Table: table, Row: row, Name: name, Unmapped: !ok}
}
