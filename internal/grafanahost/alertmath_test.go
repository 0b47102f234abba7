package grafanahost

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The math expression of Grafana's server-side expressions, for the alert evaluator.

// mathExpr evaluates a math expression over earlier results: $A / ${A} references, numbers,
// + - * /, comparisons (> < >= <= == !=, 1 or 0), && ||, ! and parentheses, with the usual
// precedence. Sets combine by labels: a single unlabelled (or single) item applies to every
// item of the other side, otherwise items pair when one's labels contain the other's.
func mathExpr(expr string, vars map[string][]item) ([]item, error) {
	p := &mathParser{src: expr, vars: vars}
	p.next()
	v, err := p.parseBinary(0)
	if err != nil {
		return nil, fmt.Errorf("math %q: %w", expr, err)
	}
	if p.tok != "" {
		return nil, fmt.Errorf("math %q: unexpected %q", expr, p.tok)
	}
	return v, nil
}

type mathParser struct {
	src  string
	pos  int
	tok  string
	vars map[string][]item
}

var precedence = map[string]int{"||": 1, "&&": 2, "==": 3, "!=": 3, ">": 4, "<": 4, ">=": 4, "<=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}

func (p *mathParser) next() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
	if p.pos >= len(p.src) {
		p.tok = ""
		return
	}
	rest := p.src[p.pos:]
	for _, op := range []string{"||", "&&", "==", "!=", ">=", "<="} {
		if strings.HasPrefix(rest, op) {
			p.tok, p.pos = op, p.pos+2
			return
		}
	}
	c := rune(rest[0])
	switch {
	case strings.ContainsRune("+-*/%()<>!", c):
		p.tok, p.pos = string(c), p.pos+1
	case c == '$':
		end := 1
		if strings.HasPrefix(rest, "${") {
			end = strings.IndexByte(rest, '}') + 1
		} else {
			for end < len(rest) && (unicode.IsLetter(rune(rest[end])) || unicode.IsDigit(rune(rest[end])) || rest[end] == '_') {
				end++
			}
		}
		p.tok, p.pos = rest[:end], p.pos+end
	default:
		end := 0
		for end < len(rest) && (unicode.IsDigit(rune(rest[end])) || rest[end] == '.' || rest[end] == 'e') {
			end++
		}
		if end == 0 {
			end = 1
		}
		p.tok, p.pos = rest[:end], p.pos+end
	}
}

func (p *mathParser) parseBinary(minPrec int) ([]item, error) {
	left, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for {
		op := p.tok
		prec, ok := precedence[op]
		if !ok || prec <= minPrec {
			return left, nil
		}
		p.next()
		right, err := p.parseBinary(prec)
		if err != nil {
			return nil, err
		}
		if left, err = combine(left, right, op); err != nil {
			return nil, err
		}
	}
}

func (p *mathParser) parseUnary() ([]item, error) {
	switch tok := p.tok; {
	case tok == "(":
		p.next()
		v, err := p.parseBinary(0)
		if err != nil {
			return nil, err
		}
		if p.tok != ")" {
			return nil, fmt.Errorf("missing )")
		}
		p.next()
		return v, nil
	case tok == "-" || tok == "!":
		p.next()
		v, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		if tok == "-" {
			return combine([]item{{value: 0}}, v, "-")
		}
		return combine(v, []item{{value: 0}}, "==")
	case strings.HasPrefix(tok, "$"):
		name := strings.Trim(strings.TrimPrefix(tok, "$"), "{}")
		v, ok := p.vars[name]
		if !ok {
			return nil, fmt.Errorf("$%s is not an earlier result", name)
		}
		p.next()
		return v, nil
	default:
		x, err := strconv.ParseFloat(tok, 64)
		if err != nil {
			return nil, fmt.Errorf("unexpected %q", tok)
		}
		p.next()
		return []item{{value: x}}, nil
	}
}

// combine applies op to two sets, matched by labels.
func combine(a, b []item, op string) ([]item, error) {
	var out []item
	apply := func(x, y item) error {
		if x.series != nil || y.series != nil {
			return fmt.Errorf("math on series is not supported by the host suite's evaluator: reduce first")
		}
		labels := x.labels
		if len(y.labels) > len(labels) {
			labels = y.labels
		}
		out = append(out, item{labels: labels, value: binop(x.value, y.value, op)})
		return nil
	}
	// A single item broadcasts when it has no labels or both sides are single (Grafana's
	// expressions); otherwise items pair when one's labels contain the other's.
	switch {
	case len(b) == 1 && (len(b[0].labels) == 0 || len(a) == 1):
		for _, x := range a {
			if err := apply(x, b[0]); err != nil {
				return nil, err
			}
		}
	case len(a) == 1 && len(a[0].labels) == 0:
		for _, y := range b {
			if err := apply(a[0], y); err != nil {
				return nil, err
			}
		}
	default:
		for _, x := range a {
			for _, y := range b {
				if labelsContain(x.labels, y.labels) || labelsContain(y.labels, x.labels) {
					if err := apply(x, y); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key() < out[j].key() })
	return out, nil
}

func labelsContain(super, sub data.Labels) bool {
	for k, v := range sub {
		if super[k] != v {
			return false
		}
	}
	return true
}

func binop(x, y float64, op string) float64 {
	b := func(c bool) float64 {
		if c {
			return 1
		}
		return 0
	}
	if math.IsNaN(x) || math.IsNaN(y) {
		return math.NaN()
	}
	switch op {
	case "+":
		return x + y
	case "-":
		return x - y
	case "*":
		return x * y
	case "/":
		return x / y
	case "%":
		return math.Mod(x, y)
	case ">":
		return b(x > y)
	case "<":
		return b(x < y)
	case ">=":
		return b(x >= y)
	case "<=":
		return b(x <= y)
	case "==":
		return b(x == y)
	case "!=":
		return b(x != y)
	case "&&":
		return b(x != 0 && y != 0)
	case "||":
		return b(x != 0 || y != 0)
	}
	return math.NaN()
}
