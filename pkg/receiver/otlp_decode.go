package receiver

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	metricscol "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	tracecol "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/protobuf/proto"
)

// otlpSpan is a span as the mapping rules see it, whichever encoding it arrived in.
type otlpSpan struct {
	TraceID, SpanID string // lowercase hex
	Name            string
	Start, End      time.Time
	StatusCode      int32          // 0 unset, 1 ok, 2 error
	Attrs           map[string]any // span attributes (deprecated names already renamed)
	Resource        map[string]any // resource attributes (likewise)
}

// maxSpans bounds one request (the body limit bounds it too; this bounds the work per byte).
const maxSpans = 100_000

// decodeTracesProto decodes an OTLP/HTTP protobuf ExportTraceServiceRequest.
func decodeTracesProto(body []byte) ([]otlpSpan, error) {
	var req tracecol.ExportTraceServiceRequest
	if err := proto.Unmarshal(body, &req); err != nil {
		return nil, fmt.Errorf("body is not an OTLP protobuf ExportTraceServiceRequest: %w", err)
	}
	var out []otlpSpan
	for _, rs := range req.GetResourceSpans() {
		res := protoAttrs(rs.GetResource().GetAttributes())
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				if len(out) >= maxSpans {
					return nil, fmt.Errorf("request has more than %d spans; send smaller batches", maxSpans)
				}
				out = append(out, otlpSpan{
					TraceID: hex.EncodeToString(s.GetTraceId()), SpanID: hex.EncodeToString(s.GetSpanId()),
					Name: s.GetName(), Start: unixNano(s.GetStartTimeUnixNano()), End: unixNano(s.GetEndTimeUnixNano()),
					StatusCode: int32(s.GetStatus().GetCode()), Attrs: protoAttrs(s.GetAttributes()), Resource: res,
				})
			}
		}
	}
	return out, nil
}

func protoAttrs(kvs []*commonpb.KeyValue) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[kv.GetKey()] = protoValue(kv.GetValue())
	}
	return canonicalAttrs(m)
}

func protoValue(v *commonpb.AnyValue) any {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_BoolValue:
		return x.BoolValue
	case *commonpb.AnyValue_IntValue:
		return x.IntValue
	case *commonpb.AnyValue_DoubleValue:
		return x.DoubleValue
	case *commonpb.AnyValue_BytesValue:
		return x.BytesValue
	case *commonpb.AnyValue_ArrayValue:
		out := make([]any, 0, len(x.ArrayValue.GetValues()))
		for _, e := range x.ArrayValue.GetValues() {
			out = append(out, protoValue(e))
		}
		return out
	case *commonpb.AnyValue_KvlistValue:
		out := map[string]any{}
		for _, kv := range x.KvlistValue.GetValues() {
			out[kv.GetKey()] = protoValue(kv.GetValue())
		}
		return out
	}
	return nil
}

// OTLP/JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding) is the protobuf
// JSON mapping with three differences: keys are lowerCamelCase, trace and span ids are hex (not
// base64), and enums are integers. 64-bit integers may be strings or numbers. Unknown fields are
// ignored, as the specification requires.

type jsonTraces struct {
	ResourceSpans []struct {
		Resource   jsonResource `json:"resource"`
		ScopeSpans []struct {
			Spans []struct {
				TraceID           string   `json:"traceId"`
				SpanID            string   `json:"spanId"`
				Name              string   `json:"name"`
				StartTimeUnixNano jsonInt  `json:"startTimeUnixNano"`
				EndTimeUnixNano   jsonInt  `json:"endTimeUnixNano"`
				Attributes        []jsonKV `json:"attributes"`
				Status            struct {
					Code int32 `json:"code"`
				} `json:"status"`
			} `json:"spans"`
		} `json:"scopeSpans"`
	} `json:"resourceSpans"`
}

type jsonResource struct {
	Attributes []jsonKV `json:"attributes"`
}

type jsonKV struct {
	Key   string       `json:"key"`
	Value jsonAnyValue `json:"value"`
}

type jsonAnyValue struct {
	StringValue *string  `json:"stringValue"`
	BoolValue   *bool    `json:"boolValue"`
	IntValue    *jsonInt `json:"intValue"`
	DoubleValue *float64 `json:"doubleValue"`
	BytesValue  *string  `json:"bytesValue"`
	ArrayValue  *struct {
		Values []jsonAnyValue `json:"values"`
	} `json:"arrayValue"`
	KvlistValue *struct {
		Values []jsonKV `json:"values"`
	} `json:"kvlistValue"`
}

// jsonInt is a protobuf JSON 64-bit integer: a decimal string or a number.
type jsonInt int64

func (n *jsonInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	if u, err := strconv.ParseUint(s, 10, 64); err == nil {
		*n = jsonInt(u) // fixed64 nanoseconds fit int64 until the year 2262
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%s is not a 64-bit integer", string(b))
	}
	*n = jsonInt(v)
	return nil
}

func (v jsonAnyValue) value() any {
	switch {
	case v.StringValue != nil:
		return *v.StringValue
	case v.BoolValue != nil:
		return *v.BoolValue
	case v.IntValue != nil:
		return int64(*v.IntValue)
	case v.DoubleValue != nil:
		return *v.DoubleValue
	case v.BytesValue != nil:
		b, _ := base64.StdEncoding.DecodeString(*v.BytesValue)
		return b
	case v.ArrayValue != nil:
		out := make([]any, 0, len(v.ArrayValue.Values))
		for _, e := range v.ArrayValue.Values {
			out = append(out, e.value())
		}
		return out
	case v.KvlistValue != nil:
		out := map[string]any{}
		for _, kv := range v.KvlistValue.Values {
			out[kv.Key] = kv.Value.value()
		}
		return out
	}
	return nil
}

func jsonAttrs(kvs []jsonKV) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[kv.Key] = kv.Value.value()
	}
	return canonicalAttrs(m)
}

// decodeTracesJSON decodes an OTLP/HTTP JSON ExportTraceServiceRequest.
func decodeTracesJSON(body []byte) ([]otlpSpan, error) {
	var req jsonTraces
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, fmt.Errorf("body is not an OTLP/JSON ExportTraceServiceRequest: %w", err)
	}
	var out []otlpSpan
	for _, rs := range req.ResourceSpans {
		res := jsonAttrs(rs.Resource.Attributes)
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				if len(out) >= maxSpans {
					return nil, fmt.Errorf("request has more than %d spans; send smaller batches", maxSpans)
				}
				for _, id := range []struct {
					name, v string
					n       int
				}{{"traceId", s.TraceID, 16}, {"spanId", s.SpanID, 8}} {
					if b, err := hex.DecodeString(id.v); err != nil || len(b) != id.n {
						return nil, fmt.Errorf("span %q: %s %q is not %d bytes of hex (OTLP/JSON ids are hex, not base64)", s.Name, id.name, id.v, id.n)
					}
				}
				out = append(out, otlpSpan{
					TraceID: strings.ToLower(s.TraceID), SpanID: strings.ToLower(s.SpanID), Name: s.Name,
					Start: unixNano(uint64(s.StartTimeUnixNano)), End: unixNano(uint64(s.EndTimeUnixNano)),
					StatusCode: s.Status.Code, Attrs: jsonAttrs(s.Attributes), Resource: res,
				})
			}
		}
	}
	return out, nil
}

// countMetricPoints decodes an ExportMetricsServiceRequest (protobuf or JSON) and counts its
// data points.
func countMetricPoints(body []byte, isJSON bool) (int, error) {
	if !isJSON {
		var req metricscol.ExportMetricsServiceRequest
		if err := proto.Unmarshal(body, &req); err != nil {
			return 0, fmt.Errorf("body is not an OTLP protobuf ExportMetricsServiceRequest: %w", err)
		}
		n := 0
		for _, rm := range req.GetResourceMetrics() {
			for _, sm := range rm.GetScopeMetrics() {
				for _, m := range sm.GetMetrics() {
					n += len(m.GetGauge().GetDataPoints()) + len(m.GetSum().GetDataPoints()) + len(m.GetHistogram().GetDataPoints()) +
						len(m.GetExponentialHistogram().GetDataPoints()) + len(m.GetSummary().GetDataPoints())
				}
			}
		}
		return n, nil
	}
	type points struct {
		DataPoints []json.RawMessage `json:"dataPoints"`
	}
	var req struct {
		ResourceMetrics []struct {
			ScopeMetrics []struct {
				Metrics []struct {
					Gauge, Sum, Histogram, ExponentialHistogram, Summary *points
				} `json:"metrics"`
			} `json:"scopeMetrics"`
		} `json:"resourceMetrics"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return 0, fmt.Errorf("body is not an OTLP/JSON ExportMetricsServiceRequest: %w", err)
	}
	n := 0
	for _, rm := range req.ResourceMetrics {
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				for _, p := range []*points{m.Gauge, m.Sum, m.Histogram, m.ExponentialHistogram, m.Summary} {
					if p != nil {
						n += len(p.DataPoints)
					}
				}
			}
		}
	}
	return n, nil
}

func unixNano(ns uint64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(ns)).UTC()
}
