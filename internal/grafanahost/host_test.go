package grafanahost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
)

const (
	appID          = "platformlens-analytics-app"
	pluginID       = "platformlens-analytics-datasource"
	executableName = "gpx_platformlens" // src/datasource/plugin.json "executable"
)

// repoRoot is the repository root: this package lives in internal/grafanahost.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

var (
	builtOnce sync.Once
	builtExe  string
	builtErr  error
)

// pluginExecutable finds dist/datasource/gpx_platformlens_<os>_<arch>, the file Grafana starts.
// Without it the suite builds the same package with `go build` into a temporary directory (once per
// test binary) and says so; under CI=true it fails instead, because CI must test what it ships.
func pluginExecutable(t *testing.T) string {
	t.Helper()
	exe := filepath.Join(repoRoot(t), "dist", "datasource", fmt.Sprintf("%s_%s_%s", executableName, runtime.GOOS, runtime.GOARCH))
	if other := os.Getenv("PLATFORMLENS_PLUGIN_EXE"); other != "" {
		exe = other // e.g. an older build, to measure a fix against it
	}
	if _, err := os.Stat(exe); err == nil {
		return exe
	} else if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatalf("backend executable %s is missing (%v): CI tests the built artifact; run `go run github.com/magefile/mage -v build:linux` before the tests", exe, err)
	}
	builtOnce.Do(func() {
		dir, err := os.MkdirTemp("", "grafanahost-")
		if err != nil {
			builtErr = err
			return
		}
		builtExe = filepath.Join(dir, filepath.Base(exe))
		cmd := exec.Command("go", "build", "-tags", "arrow_json_stdlib", "-o", builtExe, "./pkg")
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			builtErr = fmt.Errorf("go build ./pkg: %v\n%s", err, out)
		}
	})
	if builtErr != nil {
		t.Fatalf("backend executable %s is missing and building it failed: %v", exe, builtErr)
	}
	t.Logf("backend executable %s is missing: testing %s, built from ./pkg with go build (build dist/ with `go run github.com/magefile/mage -v build:linux` to test the shipped file)", exe, builtExe)
	return builtExe
}

// host is one running plugin process with the gRPC clients Grafana uses.
type host struct {
	diag pluginv2.DiagnosticsClient
	res  pluginv2.ResourceClient
	data pluginv2.DataClient
}

// executable is the plugin executable the tests start (see pluginExecutable).
func executable(t *testing.T) string { return pluginExecutable(t) }

// startHost starts the plugin process the way Grafana's plugin manager does and dispenses each
// service Grafana needs from a backend datasource.
func startHost(t *testing.T) *host {
	t.Helper()
	client := startPlugin(t, pluginExecutable(t))
	conn := client.Conn
	return &host{diag: pluginv2.NewDiagnosticsClient(conn), res: pluginv2.NewResourceClient(conn), data: pluginv2.NewDataClient(conn)}
}

// startPlugin starts exe as Grafana's plugin manager does and returns the gRPC connection
// go-plugin negotiated with it.
func startPlugin(t *testing.T, exe string) *plugin.GRPCClient {
	t.Helper()
	c, _ := startPluginWithPID(t, exe)
	return c
}

// startPluginWithPID is startPlugin that also returns the plugin's process id (to read its
// memory use from /proc).
func startPluginWithPID(t *testing.T, exe string) (*plugin.GRPCClient, int) {
	t.Helper()
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig: plugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]plugin.PluginSet{
			grpcplugin.ProtocolVersion: {
				"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
				"resource":    &grpcplugin.ResourceGRPCPlugin{},
				"data":        &grpcplugin.DataGRPCPlugin{},
			},
		},
		Cmd:              exec.Command(exe),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		StartTimeout:     60 * time.Second,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "plugin", Output: testWriter{t}, Level: hclog.Warn}),
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("go-plugin handshake with %s failed: %v", exe, err)
	}
	grpcClient, ok := rpc.(*plugin.GRPCClient)
	if !ok {
		t.Fatalf("plugin negotiated %T, want a gRPC client", rpc)
	}
	// Dispense checks that the plugin serves each service Grafana needs from a datasource.
	for _, name := range []string{"diagnostics", "resource", "data"} {
		if _, err := rpc.Dispense(name); err != nil {
			t.Fatalf("plugin does not serve %q: %v", name, err)
		}
	}
	return grpcClient, client.ReattachConfig().Pid
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// withRole returns a copy of a plugin context whose user has role ("" = no user at all, as for
// a call without a signed-in user).
func withRole(pc *pluginv2.PluginContext, role string) *pluginv2.PluginContext {
	out := &pluginv2.PluginContext{OrgId: pc.OrgId, PluginId: pc.PluginId, DataSourceInstanceSettings: pc.DataSourceInstanceSettings}
	if role != "" {
		out.User = &pluginv2.User{Login: strings.ToLower(role) + "-user", Name: role, Role: role}
	}
	return out
}

// callResource sends one resource request and collects the streamed answer; body is sent as
// JSON, or as is when it is []byte.
func (h *host) callResource(t *testing.T, pc *pluginv2.PluginContext, method, path string, body any) (int, []byte) {
	t.Helper()
	return callResource(t, h.res, pc, method, path, body)
}

// callResource sends one resource request through rc; see (*host).callResource.
func callResource(t *testing.T, rc pluginv2.ResourceClient, pc *pluginv2.PluginContext, method, path string, body any) (int, []byte) {
	t.Helper()
	raw, isRaw := body.([]byte)
	if body != nil && !isRaw {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stream, err := rc.CallResource(ctx, &pluginv2.CallResourceRequest{PluginContext: pc, Method: method, Path: strings.SplitN(path, "?", 2)[0], Url: path, Body: raw})
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	code := 0
	var out []byte
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s %s: receive: %v", method, path, err)
		}
		if resp.Code != 0 {
			code = int(resp.Code)
		}
		out = append(out, resp.Body...)
	}
	return code, out
}

// result is one refId's answer, decoded from Arrow.
type result struct {
	frames data.Frames
	err    string
	source string
}

// query sends queries in one QueryData request, as Grafana batches a panel's targets, with
// headers (Grafana sets FromAlert: true for alert rule evaluations).
func (h *host) query(t *testing.T, pc *pluginv2.PluginContext, headers map[string]string, qs ...*pluginv2.DataQuery) map[string]result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	resp, err := h.data.QueryData(ctx, &pluginv2.QueryDataRequest{PluginContext: pc, Headers: headers, Queries: qs})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	out := map[string]result{}
	for ref, r := range resp.Responses {
		res := result{err: r.Error, source: r.ErrorSource}
		if len(r.Frames) > 0 {
			if res.frames, err = data.UnmarshalArrowFrames(r.Frames); err != nil {
				t.Fatalf("refId %s: frames are not Arrow: %v", ref, err)
			}
		}
		out[ref] = res
	}
	return out
}

// describe prints frames for failure messages.
func describe(frames data.Frames) string {
	var sb strings.Builder
	for _, f := range frames {
		s, err := f.StringTable(8, 6)
		if err != nil {
			s = err.Error()
		}
		sb.WriteString(s)
	}
	return sb.String()
}
