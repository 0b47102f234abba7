package store

import (
	"bufio"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LatestVersion is the schema version this build of the plugin migrates to (the highest
// embedded migration). A database with a higher version is refused (ErrSchemaNewer).
const LatestVersion = 9

//go:embed migrations/*.sql
var migrationFiles embed.FS

// sectionKind says in which store modes a part of a migration file runs.
type sectionKind int

const (
	sectionAll         sectionKind = iota // "-- @all": every mode
	sectionHypertables                    // "-- @hypertables": TimescaleDB, either license
	sectionTimescale                      // "-- @timescale": Timescale License only
	sectionPlain                          // "-- @plain": modes without continuous aggregates
	sectionRollup                         // "-- @rollup name source timecol width"
)

// section is one part of a migration file.
type section struct {
	kind   sectionKind
	sql    string
	rollup *rollup // for sectionRollup
}

// rollup is one rollup definition: a SELECT template with {{bucket}}, {{where}}, {{and}}.
type rollup struct {
	Name    string
	Source  string
	TimeCol string
	Width   time.Duration
	Select  string
}

// migration is one embedded, parsed migration file.
type migration struct {
	Version  int
	Name     string
	Checksum string // hex SHA-256 of the file as embedded
	sections []section
}

var (
	loadOnce   sync.Once
	loaded     []migration
	loadErr    error
	fileRe     = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)
	identRe    = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
	widthNames = map[string]time.Duration{"1 hour": time.Hour, "1 day": 24 * time.Hour}
)

// migrations returns the embedded migrations in version order.
func migrations() ([]migration, error) {
	loadOnce.Do(func() { loaded, loadErr = loadMigrations(migrationFiles) })
	return loaded, loadErr
}

func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, name := range names {
		m := fileRe.FindStringSubmatch(path.Base(name))
		if m == nil {
			return nil, fmt.Errorf("migration file %s: name must look like 0001_name.sql", name)
		}
		version, _ := strconv.Atoi(m[1])
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		sections, err := parseSections(string(body))
		if err != nil {
			return nil, fmt.Errorf("migration file %s: %w", name, err)
		}
		sum := sha256.Sum256(body)
		out = append(out, migration{Version: version, Name: m[2], Checksum: hex.EncodeToString(sum[:]), sections: sections})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migrations must be numbered 1, 2, 3… without gaps; found version %d at position %d", m.Version, i+1)
		}
	}
	if len(out) != LatestVersion {
		return nil, fmt.Errorf("LatestVersion is %d but %d migrations are embedded", LatestVersion, len(out))
	}
	return out, nil
}

// parseSections splits a migration file at its "-- @kind" directive lines.
func parseSections(body string) ([]section, error) {
	var out []section
	cur := section{kind: sectionAll}
	var buf strings.Builder
	flush := func() {
		cur.sql = strings.TrimSpace(buf.String())
		if cur.rollup != nil {
			cur.rollup.Select = cur.sql
		}
		if cur.sql != "" || cur.rollup != nil {
			out = append(out, cur)
		}
		buf.Reset()
	}
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		directive, ok := strings.CutPrefix(strings.TrimSpace(line), "-- @")
		if !ok {
			buf.WriteString(line)
			buf.WriteByte('\n')
			continue
		}
		flush()
		fields := strings.Fields(directive)
		switch {
		case len(fields) == 1 && fields[0] == "all":
			cur = section{kind: sectionAll}
		case len(fields) == 1 && fields[0] == "hypertables":
			cur = section{kind: sectionHypertables}
		case len(fields) == 1 && fields[0] == "timescale":
			cur = section{kind: sectionTimescale}
		case len(fields) == 1 && fields[0] == "plain":
			cur = section{kind: sectionPlain}
		case len(fields) == 6 && fields[0] == "rollup":
			r, err := parseRollupDirective(fields[1:])
			if err != nil {
				return nil, err
			}
			cur = section{kind: sectionRollup, rollup: r}
		default:
			return nil, fmt.Errorf("unknown directive %q", line)
		}
	}
	flush()
	for _, s := range out {
		if s.rollup != nil && !strings.Contains(s.rollup.Select, "{{bucket}}") {
			return nil, fmt.Errorf("rollup %s: SELECT has no {{bucket}}", s.rollup.Name)
		}
		if s.rollup != nil && strings.Count(s.rollup.Select, "{{where}}")+strings.Count(s.rollup.Select, "{{and}}") != 1 {
			return nil, fmt.Errorf("rollup %s: SELECT needs exactly one {{where}} or {{and}}", s.rollup.Name)
		}
	}
	return out, sc.Err()
}

// parseRollupDirective reads "name source timecol <n> <unit>".
func parseRollupDirective(f []string) (*rollup, error) {
	for _, id := range f[:3] {
		if !identRe.MatchString(id) {
			return nil, fmt.Errorf("rollup directive: %q is not a plain identifier", id)
		}
	}
	width, ok := widthNames[f[3]+" "+f[4]]
	if !ok {
		return nil, fmt.Errorf("rollup %s: width %q is not \"1 hour\" or \"1 day\"", f[0], f[3]+" "+f[4])
	}
	return &rollup{Name: f[0], Source: f[1], TimeCol: f[2], Width: width}, nil
}

// rollupsUpTo lists the rollups defined by migrations with version <= v.
func rollupsUpTo(ms []migration, v int) []*rollup {
	var out []*rollup
	for _, m := range ms {
		if m.Version > v {
			break
		}
		for _, s := range m.sections {
			if s.rollup != nil {
				out = append(out, s.rollup)
			}
		}
	}
	return out
}

// Rollups returns the names of every rollup (continuous aggregate or table) in the latest schema.
func Rollups() []string {
	ms, err := migrations()
	if err != nil {
		return nil
	}
	var names []string
	for _, r := range rollupsUpTo(ms, LatestVersion) {
		names = append(names, r.Name)
	}
	return names
}
