package receiver

import (
	"fmt"
	"mime"
	"net/http"
	"strings"

	metricscol "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	tracecol "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	statuspb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/proto"
)

// OTLP/HTTP (https://opentelemetry.io/docs/specs/otlp/#otlphttp): a request is protobuf
// (application/x-protobuf) or JSON (application/json), optionally gzip-encoded; success is 200
// with an Export*ServiceResponse in the request's encoding (partial_success counts rejected
// spans); a bad request is 400 with a google.rpc.Status; 503 asks the sender to retry.

const (
	ctProtobuf = "application/x-protobuf"
	ctJSON     = "application/json"
)

// otlpRequest reads and authenticates an OTLP request; it answers and returns ok=false on failure.
func (h *Handler) otlpRequest(w http.ResponseWriter, r *http.Request) (body []byte, isJSON, ok bool) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case ctProtobuf:
	case ctJSON:
		isJSON = true
	default:
		writeProblem(w, &problem{status: http.StatusUnsupportedMediaType,
			reason: fmt.Sprintf("Content-Type %q is not OTLP", mt), hint: "send application/x-protobuf or application/json"})
		return nil, false, false
	}
	if len(h.cfg.OTLPToken) > 0 {
		if tok := bearer(r); tok == "" || !equalToken(h.cfg.OTLPToken, tok) {
			h.rcv.Stats.SignatureFailure(SourceOTLP, h.rcv.now())
			otlpError(w, isJSON, http.StatusUnauthorized, 16, "missing or wrong bearer token (set the Collector exporter's headers: Authorization: Bearer <token>)")
			return nil, isJSON, false
		}
	}
	body, p := readBody(r, h.cfg.MaxBodyBytes)
	if p != nil {
		h.rcv.Stats.Malformed(SourceOTLP, h.rcv.now())
		otlpError(w, isJSON, p.status, 3, p.reason)
		return nil, isJSON, false
	}
	return body, isJSON, true
}

func (h *Handler) otlpTraces(w http.ResponseWriter, r *http.Request) {
	body, isJSON, ok := h.otlpRequest(w, r)
	if !ok {
		return
	}
	var spans []otlpSpan
	var err error
	if isJSON {
		spans, err = decodeTracesJSON(body)
	} else {
		spans, err = decodeTracesProto(body)
	}
	if err != nil {
		h.rcv.Stats.Malformed(SourceOTLP, h.rcv.now())
		otlpError(w, isJSON, http.StatusBadRequest, 3, err.Error())
		return
	}
	out, err := h.rcv.Deliver(r.Context(), SourceOTLP, mapSpans(spans, h.rcv.Mapper))
	if err != nil {
		h.rcv.log.Error("storing spans failed", "error", err)
		otlpError(w, isJSON, http.StatusServiceUnavailable, 14, "storing the spans failed; retry later")
		return
	}
	resp := &tracecol.ExportTraceServiceResponse{}
	if n := rejectedRows(out.Rejected); n > 0 {
		first := out.Rejected[0]
		resp.PartialSuccess = &tracecol.ExportTracePartialSuccess{RejectedSpans: int64(n),
			ErrorMessage: fmt.Sprintf("%d CI/CD spans rejected (first: %s); see `platformlens status`", n, first.Error())}
	}
	otlpOK(w, isJSON, resp, out)
}

func (h *Handler) otlpMetrics(w http.ResponseWriter, r *http.Request) {
	body, isJSON, ok := h.otlpRequest(w, r)
	if !ok {
		return
	}
	n, err := countMetricPoints(body, isJSON)
	if err != nil {
		h.rcv.Stats.Malformed(SourceOTLP, h.rcv.now())
		otlpError(w, isJSON, http.StatusBadRequest, 3, err.Error())
		return
	}
	// CI/CD metrics (cicd.pipeline.run.duration, …) are aggregates over many runs: storing them
	// as builds would count runs twice or not at all. They are accepted and counted as ignored;
	// builds and deployments come from the spans of the same receivers.
	m := Mapped{}
	for i := 0; i < n; i++ {
		m.ignore("metric data points are aggregates; PlatformLens stores runs from CI/CD spans (/v1/traces)")
	}
	out, err := h.rcv.Deliver(r.Context(), SourceOTLP, m)
	if err != nil {
		otlpError(w, isJSON, http.StatusServiceUnavailable, 14, "bookkeeping failed; retry later")
		return
	}
	otlpOK(w, isJSON, &metricscol.ExportMetricsServiceResponse{}, out)
}

// otlpOK writes a 200 response. The JSON form also carries PlatformLens' outcome under
// "platformlens" (OTLP clients ignore unknown fields), which makes curl tests readable.
func otlpOK(w http.ResponseWriter, isJSON bool, resp proto.Message, out Outcome) {
	if !isJSON {
		b, _ := proto.Marshal(resp)
		w.Header().Set("Content-Type", ctProtobuf)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(b)
		return
	}
	body := map[string]any{"platformlens": out}
	if ps, ok := resp.(*tracecol.ExportTraceServiceResponse); ok && ps.PartialSuccess != nil {
		body["partialSuccess"] = map[string]any{"rejectedSpans": fmt.Sprint(ps.PartialSuccess.RejectedSpans), "errorMessage": ps.PartialSuccess.ErrorMessage}
	}
	writeJSON(w, http.StatusOK, body)
}

// otlpError writes a google.rpc.Status (code: gRPC code) in the request's encoding.
func otlpError(w http.ResponseWriter, isJSON bool, status int, code int32, msg string) {
	msg = strings.TrimSpace(msg)
	if isJSON {
		writeJSON(w, status, map[string]any{"code": code, "message": msg})
		return
	}
	b, _ := proto.Marshal(&statuspb.Status{Code: code, Message: msg})
	w.Header().Set("Content-Type", ctProtobuf)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
