package receiver

import (
	"encoding/hex"
	"testing"

	tracecol "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

func TestMapSpans(t *testing.T) {
	spans, err := decodeTracesJSON(fixture(t, "otlp_traces_cicd.json"))
	if err != nil {
		t.Fatal(err)
	}
	m := mapSpans(spans, testMapper(t))
	// 5 spans: pipeline run, task (ignored), deployment, legacy run (deprecated names), HTTP (ignored).
	if len(m.Events) != 3 || m.Ignored != 2 {
		t.Fatalf("events %d, ignored %d (%v)", len(m.Events), m.Ignored, m.Reasons)
	}
	cases := []mapCase{
		{name: "pipeline run", table: "builds", row: map[string]any{
			"external_id": "span:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174", "pipeline": "build",
			"repo": "octo-org/shop-api", "service": "shop-api", "team": "platform", "tech_stack": "go", "status": "success",
			"started_at": ts("2026-11-20T15:00:00Z"), "finished_at": ts("2026-11-20T15:04:00Z"), "duration_seconds": 240.0}},
		{name: "deployment task", table: "deployments", row: map[string]any{
			"external_id": "deployment:rel-2026-11-20.1", "environment": "production", "is_production": true, "status": "success",
			"service": "shop-api", "product_line": "core", "duration_seconds": 150.0}},
		{name: "deprecated names", table: "builds", row: map[string]any{
			"external_id": "span:0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331", "pipeline": "legacy-app",
			"repo": "legacy-org/legacy-app", "service": "jenkins", "status": "failure", "team": Unassigned,
			"finished_at": ts("2026-11-20T16:10:00Z")}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkMapped(t, c, Mapped{Events: m.Events[i : i+1]}) })
	}
	if spans[3].Attrs["vcs.ref.head.name"] != "release/1.2" || spans[3].Resource["vcs.provider.name"] != "git" {
		t.Errorf("deprecated attributes not renamed: %v %v", spans[3].Attrs, spans[3].Resource)
	}
}

func TestCIResultValues(t *testing.T) {
	for in, want := range map[string]string{"success": "success", "failure": "failure", "error": "failure", "timeout": "failure",
		"cancellation": "cancelled", "skip": ""} {
		if got, known := ciResult(in); !known || got != want {
			t.Errorf("ciResult(%q) = %q, %v; want %q", in, got, known, want)
		}
	}
}

// TestProtobufAndJSONDecodeAlike encodes the JSON fixture's spans as protobuf and checks that
// both decoders produce the same spans.
func TestProtobufAndJSONDecodeAlike(t *testing.T) {
	fromJSON, err := decodeTracesJSON(fixture(t, "otlp_traces_cicd.json"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := proto.Marshal(protoRequest(t, fromJSON))
	if err != nil {
		t.Fatal(err)
	}
	fromProto, err := decodeTracesProto(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(fromProto) != len(fromJSON) {
		t.Fatalf("%d spans from protobuf, %d from JSON", len(fromProto), len(fromJSON))
	}
	for i := range fromJSON {
		a, b := fromJSON[i], fromProto[i]
		if a.TraceID != b.TraceID || a.SpanID != b.SpanID || !a.Start.Equal(b.Start) || !a.End.Equal(b.End) ||
			a.StatusCode != b.StatusCode || a.str("cicd.pipeline.name") != b.str("cicd.pipeline.name") ||
			a.str("vcs.ref.head.name") != b.str("vcs.ref.head.name") {
			t.Errorf("span %d differs:\njson  %+v\nproto %+v", i, a, b)
		}
	}
}

func TestOTLPJSONRejectsBase64IDs(t *testing.T) {
	_, err := decodeTracesJSON([]byte(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"7uGbfsPBsXQ=","name":"x"}]}]}]}`))
	if err == nil {
		t.Fatal("base64 ids accepted")
	}
}

// protoRequest builds the protobuf request carrying spans (string, int and bool attributes).
func protoRequest(t testing.TB, spans []otlpSpan) *tracecol.ExportTraceServiceRequest {
	req := &tracecol.ExportTraceServiceRequest{}
	for _, s := range spans {
		tid, _ := hex.DecodeString(s.TraceID)
		sid, _ := hex.DecodeString(s.SpanID)
		req.ResourceSpans = append(req.ResourceSpans, &tracepb.ResourceSpans{
			Resource: &resourcepb.Resource{Attributes: kvs(s.Resource)},
			ScopeSpans: []*tracepb.ScopeSpans{{Spans: []*tracepb.Span{{
				TraceId: tid, SpanId: sid, Name: s.Name,
				StartTimeUnixNano: uint64(s.Start.UnixNano()), EndTimeUnixNano: uint64(s.End.UnixNano()),
				Attributes: kvs(s.Attrs), Status: &tracepb.Status{Code: tracepb.Status_StatusCode(s.StatusCode)},
			}}}},
		})
	}
	return req
}

func kvs(m map[string]any) []*commonpb.KeyValue {
	var out []*commonpb.KeyValue
	for k, v := range m {
		var av *commonpb.AnyValue
		switch x := v.(type) {
		case string:
			av = &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: x}}
		case int64:
			av = &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: x}}
		case bool:
			av = &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: x}}
		default:
			continue
		}
		out = append(out, &commonpb.KeyValue{Key: k, Value: av})
	}
	return out
}

// TestMapGitHubReceiverTrace replays a trace in the shape the Collector's GitHub receiver emits
// (attributes on the resource, deprecated names, one resource per job): only the workflow run
// is a build; the job, its queue span and its steps are not.
func TestMapGitHubReceiverTrace(t *testing.T) {
	spans, err := decodeTracesJSON(fixture(t, "otlp_traces_github_receiver.json"))
	if err != nil {
		t.Fatal(err)
	}
	m := mapSpans(spans, testMapper(t))
	checkMapped(t, mapCase{ignored: 4, table: "builds", row: map[string]any{
		"external_id": "span:9a2c4e6f8b0d1f3a5c7e9a1b3d5f7a9c:1a2b3c4d5e6f7a8b", "pipeline": "Build",
		"repo": "octo-org/octo-repo", "team": "checkout", "tech_stack": "java", "service": "octo-repo", "status": "failure",
		"started_at": ts("2026-11-26T11:00:00Z"), "finished_at": ts("2026-11-26T11:05:00Z"), "duration_seconds": 300.0,
	}}, m)
}
