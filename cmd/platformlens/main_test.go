package main

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
)

// run executes the CLI in-process and returns exit code, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runMain(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsageAndUnknownCommand(t *testing.T) {
	code, out, _ := run(t)
	if code != 2 || !strings.Contains(out, "migrate") || !strings.Contains(out, "status") {
		t.Fatalf("no args: code %d, usage %q", code, out)
	}
	if code, out, _ := run(t, "help"); code != 0 || !strings.Contains(out, "Commands:") {
		t.Fatalf("help: code %d, %q", code, out)
	}
	code, _, errOut := run(t, "frobnicate")
	if code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: code %d, stderr %q", code, errOut)
	}
}

func TestErrorsAreOneLineWithExitCode(t *testing.T) {
	t.Setenv("PLATFORMLENS_DSN", "")
	code, _, errOut := run(t, "status")
	if code != 2 || !strings.Contains(errOut, "PLATFORMLENS_DSN") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("missing DSN: code %d, stderr %q", code, errOut)
	}
	code, _, errOut = run(t, "migrate", "--bogus")
	if code != 2 || !strings.Contains(errOut, "-bogus") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("bad flag: code %d, stderr %q", code, errOut)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	code, _, errOut = run(t, "migrate", "--dsn", "postgres://postgres@127.0.0.1:"+port+"/x?sslmode=disable")
	if code != 1 || !strings.HasPrefix(errOut, "platformlens migrate: cannot connect: connection refused by 127.0.0.1:"+port) ||
		strings.Count(errOut, "\n") != 1 {
		t.Fatalf("unreachable database: code %d, stderr %q", code, errOut)
	}
}
