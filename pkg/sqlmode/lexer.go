package sqlmode

import (
	"errors"
	"fmt"
	"strings"
)

// This file is a lexer that follows PostgreSQL's own (src/backend/parser/scan.l) closely enough
// to find the statement's first keyword and the statement boundaries: it knows where comments,
// string literals, dollar-quoted bodies and quoted identifiers begin and end, so text inside them
// can never be mistaken for a keyword or a ';'. It is not the guard — the read-only transaction,
// the read role and the refusal of privileged connections are — but it keeps everything but
// queries away from the database and gives a clear message.

// tokenKind classifies what the lexer found.
type tokenKind int

const (
	tokWord  tokenKind = iota // an unquoted keyword or identifier (upper-cased in text)
	tokOther                  // a literal, quoted identifier, number, operator or punctuation
	tokSemi                   // ';'
	tokOpen                   // '('
)

type token struct {
	kind tokenKind
	text string // for tokWord: upper case; otherwise the character(s)
}

// allowedFirst are the statement kinds SQL mode runs: queries, and EXPLAIN without ANALYZE.
var allowedFirst = map[string]bool{"SELECT": true, "WITH": true, "VALUES": true, "TABLE": true, "EXPLAIN": true}

// isSpace is PostgreSQL's whitespace: space, tab, newline, carriage return, form feed and
// (PostgreSQL 16+) vertical tab; treating \v as space on older servers only makes us stricter.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isIdentStart and isIdentCont follow scan.l: letters, '_' and any byte >= 0x80 start an
// identifier; digits and '$' may follow.
func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentCont(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' || c == '$' }

// lex splits sql into tokens, dropping white space and comments. It fails on an unterminated
// comment, literal or quoted identifier, as PostgreSQL would.
func lex(sql string) ([]token, error) {
	var out []token
	i := 0
	for i < len(sql) {
		c := sql[i]
		switch {
		case isSpace(c):
			i++
		case strings.HasPrefix(sql[i:], "--"):
			// A line comment ends at \n or \r (scan.l: non_newline = [^\n\r]).
			end := strings.IndexAny(sql[i:], "\n\r")
			if end < 0 {
				return out, nil
			}
			i += end + 1
		case strings.HasPrefix(sql[i:], "/*"):
			end, err := blockCommentEnd(sql, i)
			if err != nil {
				return nil, err
			}
			i = end
		case c == '\'':
			end, err := quotedEnd(sql, i, '\'', false)
			if err != nil {
				return nil, err
			}
			out, i = append(out, token{kind: tokOther, text: "'"}), end
		case c == '"':
			end, err := quotedEnd(sql, i, '"', false)
			if err != nil {
				return nil, err
			}
			out, i = append(out, token{kind: tokOther, text: `"`}), end
		case (c == 'E' || c == 'e') && i+1 < len(sql) && sql[i+1] == '\'':
			end, err := quotedEnd(sql, i+1, '\'', true)
			if err != nil {
				return nil, err
			}
			out, i = append(out, token{kind: tokOther, text: "'"}), end
		case (c == 'U' || c == 'u') && i+2 < len(sql) && sql[i+1] == '&' && (sql[i+2] == '\'' || sql[i+2] == '"'):
			// U&'…' and U&"…": backslash starts a Unicode escape, not a quote escape.
			end, err := quotedEnd(sql, i+2, sql[i+2], false)
			if err != nil {
				return nil, err
			}
			out, i = append(out, token{kind: tokOther, text: "'"}), end
		case strings.ContainsRune("BbXxNn", rune(c)) && i+1 < len(sql) && sql[i+1] == '\'':
			// Bit strings B'…', hex X'…' and national N'…' quote like standard strings.
			end, err := quotedEnd(sql, i+1, '\'', false)
			if err != nil {
				return nil, err
			}
			out, i = append(out, token{kind: tokOther, text: "'"}), end
		case c == '$':
			if tag, ok := dollarTag(sql, i); ok {
				end := strings.Index(sql[i+len(tag):], tag)
				if end < 0 {
					return nil, fmt.Errorf("unterminated dollar-quoted string %s", tag)
				}
				out, i = append(out, token{kind: tokOther, text: "$"}), i+len(tag)+end+len(tag)
				continue
			}
			// $1 parameters and a lone '$'.
			j := i + 1
			for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
				j++
			}
			out, i = append(out, token{kind: tokOther, text: sql[i:j]}), j
		case isIdentStart(c):
			j := i + 1
			for j < len(sql) && isIdentCont(sql[j]) {
				j++
			}
			out, i = append(out, token{kind: tokWord, text: strings.ToUpper(sql[i:j])}), j
		case c >= '0' && c <= '9' || c == '.':
			j := i + 1
			for j < len(sql) && (sql[j] >= '0' && sql[j] <= '9' || sql[j] == '.' || sql[j] == '_') {
				j++
			}
			out, i = append(out, token{kind: tokOther, text: sql[i:j]}), j
		case c == ';':
			out, i = append(out, token{kind: tokSemi, text: ";"}), i+1
		case c == '(':
			out, i = append(out, token{kind: tokOpen, text: "("}), i+1
		default:
			out, i = append(out, token{kind: tokOther, text: sql[i : i+1]}), i+1
		}
	}
	return out, nil
}

// blockCommentEnd returns the index after the comment starting at sql[i:] == "/*". PostgreSQL's
// block comments nest.
func blockCommentEnd(sql string, i int) (int, error) {
	depth := 0
	for i < len(sql) {
		switch {
		case strings.HasPrefix(sql[i:], "/*"):
			depth++
			i += 2
		case strings.HasPrefix(sql[i:], "*/"):
			depth--
			i += 2
			if depth == 0 {
				return i, nil
			}
		default:
			i++
		}
	}
	return 0, errors.New("unterminated /* comment")
}

// quotedEnd returns the index after the literal whose opening quote is sql[open]. A doubled
// quote stands for itself; with backslashes set (E'…') a backslash escapes the next byte.
func quotedEnd(sql string, open int, quote byte, backslashes bool) (int, error) {
	for i := open + 1; i < len(sql); i++ {
		switch {
		case backslashes && sql[i] == '\\':
			i++ // skip the escaped byte, which may be a quote
		case sql[i] == quote:
			if i+1 < len(sql) && sql[i+1] == quote {
				i++
				continue
			}
			return i + 1, nil
		}
	}
	if quote == '"' {
		return 0, errors.New("unterminated quoted identifier")
	}
	return 0, errors.New("unterminated quoted string")
}

// dollarTag returns the opening "$tag$" at sql[i:] when there is one. A tag is empty or an
// identifier without '$' (scan.l: dolq_start [A-Za-z\200-\377_], dolq_cont adds digits).
func dollarTag(sql string, i int) (string, bool) {
	j := i + 1
	if j < len(sql) && isIdentStart(sql[j]) {
		j++
		for j < len(sql) && isIdentCont(sql[j]) && sql[j] != '$' {
			j++
		}
	}
	if j < len(sql) && sql[j] == '$' {
		return sql[i : j+1], true
	}
	return "", false
}

// checkStatement allows exactly one statement whose first keyword is SELECT, WITH, VALUES,
// TABLE or EXPLAIN (without ANALYZE, which would run the statement). Everything else — COPY, DO,
// CALL, SET, LISTEN, PREPARE, LOCK, writes — is refused before it reaches the database.
func checkStatement(sql string) error {
	toks, err := lex(sql)
	if err != nil {
		return fmt.Errorf("the SQL query cannot be read: %v", err)
	}
	first := leadingWord(toks)
	if first == "" {
		if len(toks) == 0 {
			return errors.New("the SQL query is empty: write a SELECT statement")
		}
		return errors.New("SQL mode runs queries only: start the statement with SELECT, WITH, VALUES, TABLE or EXPLAIN")
	}
	if !allowedFirst[first] {
		return fmt.Errorf("%s statements are not allowed in SQL mode: it runs queries only (SELECT, WITH, VALUES, TABLE, or EXPLAIN without ANALYZE)", first)
	}
	for k, t := range toks {
		if t.kind == tokSemi && k != len(toks)-1 {
			return errors.New("SQL mode runs exactly one statement; remove everything after the first ';'")
		}
		if first == "EXPLAIN" && t.kind == tokWord && (t.text == "ANALYZE" || t.text == "ANALYSE") {
			return errors.New("EXPLAIN ANALYZE runs the statement and is not allowed in SQL mode; use EXPLAIN without ANALYZE")
		}
	}
	return nil
}

// leadingWord is the first keyword, after any opening parentheses ("(SELECT …) UNION …").
func leadingWord(toks []token) string {
	for _, t := range toks {
		switch t.kind {
		case tokOpen:
			continue
		case tokWord:
			return t.text
		}
		return ""
	}
	return ""
}

// cursorable reports whether sql can be the body of DECLARE CURSOR (a query, not EXPLAIN).
func cursorable(sql string) bool {
	toks, err := lex(sql)
	if err != nil {
		return false
	}
	switch leadingWord(toks) {
	case "SELECT", "WITH", "VALUES", "TABLE":
		return true
	}
	return false
}
