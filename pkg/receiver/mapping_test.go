package receiver

import (
	"strings"
	"testing"
)

func TestMapperResolve(t *testing.T) {
	m := testMapper(t)
	cases := []struct {
		name, team, stack, product string
		mapped                     bool
	}{
		{"octo-org/octo-repo", "checkout", "java", "commerce", true},
		{"Octo-Org/Octo-Repo", "checkout", "java", "commerce", true}, // names are case-insensitive, as on GitHub
		{"octo-org/other", "platform", "go", "core", true},           // owner wildcard
		{"octo-org/sub/deep", "platform", "go", "core", true},        // GitLab subgroups fall back to the group
		{"someone/else", Unassigned, Unassigned, Unassigned, false},
		{"", Unassigned, Unassigned, Unassigned, false},
	}
	for _, c := range cases {
		o, ok := m.Resolve(c.name)
		if ok != c.mapped || o.Team != c.team || o.TechStack != c.stack || o.ProductLine != c.product {
			t.Errorf("Resolve(%q) = %+v, %v", c.name, o, ok)
		}
	}
}

func TestParseMappingErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"repo,team,tech_stack\n",
		"name,team\n",
		"name,team,tech_stack\na/b,,go\n",
		"name,team,tech_stack\na/b,x\n",
	} {
		if _, err := parseMapping(strings.NewReader(in)); err == nil {
			t.Errorf("parseMapping(%q) accepted", in)
		}
	}
	got, err := parseMapping(strings.NewReader("# comment\nname,team,tech_stack\n a/b , t , go \n"))
	if err != nil || got["a/b"] != (Owner{Team: "t", TechStack: "go", ProductLine: Unassigned}) {
		t.Fatalf("%v %v", got, err)
	}
}
