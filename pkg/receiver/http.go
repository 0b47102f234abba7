package receiver

import (
	"compress/gzip"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// Config is what the HTTP endpoints need besides the Receiver. An empty secret disables its
// endpoint (404 with a hint): an endpoint never accepts unsigned events.
type Config struct {
	GitHubSecret    []byte // PLATFORMLENS_GITHUB_WEBHOOK_SECRET: HMAC-SHA256 key of X-Hub-Signature-256
	GitLabToken     []byte // PLATFORMLENS_GITLAB_WEBHOOK_TOKEN: compared with X-Gitlab-Token
	PagerDutySecret []byte // PLATFORMLENS_PAGERDUTY_WEBHOOK_SECRET: HMAC-SHA256 key of X-PagerDuty-Signature
	IncidentToken   []byte // PLATFORMLENS_INCIDENT_WEBHOOK_TOKEN: bearer token of the generic/Opsgenie endpoint
	// OTLPToken, when set, is required as "Authorization: Bearer <token>" on /v1/*. OTLP has no
	// signature scheme; without a token the OTLP endpoints are open, so bind serve to loopback or
	// a private network.
	OTLPToken []byte
	// IncidentLabel marks GitHub/GitLab issues that are incidents (default "incident").
	IncidentLabel string
	// Jobs maps job-level events (GitHub workflow_job, GitLab job) to builds too; off by default
	// because the run-level event already records the build and both would count it twice.
	Jobs bool
	// MaxBodyBytes bounds a body after gzip decompression.
	MaxBodyBytes int64
}

// Handler serves the receiver endpoints.
type Handler struct {
	rcv *Receiver
	cfg Config
}

// NewHandler returns the HTTP handler of the receiver endpoints.
func NewHandler(rcv *Receiver, cfg Config) *Handler {
	if cfg.IncidentLabel == "" {
		cfg.IncidentLabel = "incident"
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 8 << 20
	}
	return &Handler{rcv: rcv, cfg: cfg}
}

// Mount adds the endpoints to mux.
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.HandleFunc("POST /webhooks/github", h.github)
	mux.HandleFunc("POST /webhooks/gitlab", h.gitlab)
	mux.HandleFunc("POST /webhooks/pagerduty", h.pagerduty)
	mux.HandleFunc("POST /webhooks/incident", h.incident)
	mux.HandleFunc("POST /v1/traces", h.otlpTraces)
	mux.HandleFunc("POST /v1/metrics", h.otlpMetrics)
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		h.rcv.Stats.WritePrometheus(w)
	})
}

// problem is a refused delivery: status, reason and what to do.
type problem struct {
	status int
	reason string
	hint   string
}

func (p *problem) Error() string { return p.reason }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeProblem(w http.ResponseWriter, p *problem) {
	body := map[string]string{"error": p.reason}
	if p.hint != "" {
		body["hint"] = p.hint
	}
	writeJSON(w, p.status, body)
}

// disabled answers a request to an endpoint whose secret is not configured.
func disabled(w http.ResponseWriter, what, env, flag string) {
	writeProblem(w, &problem{status: http.StatusNotFound,
		reason: what + " endpoint is disabled: no secret is configured",
		hint:   fmt.Sprintf("set %s or pass %s to `platformlens serve`, and configure the same secret in the sender", env, flag)})
}

// readBody reads the (possibly gzip-encoded) body, at most limit bytes before and after
// decompression.
func readBody(r *http.Request, limit int64) ([]byte, *problem) {
	var src io.Reader = r.Body
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		gz, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, &problem{status: http.StatusBadRequest, reason: "body is not valid gzip: " + err.Error()}
		}
		defer gz.Close()
		src = gz
	default:
		return nil, &problem{status: http.StatusUnsupportedMediaType, reason: fmt.Sprintf("Content-Encoding %q is not supported", enc), hint: "send the body plain or gzip-compressed"}
	}
	b, err := io.ReadAll(io.LimitReader(src, limit+1))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge) || int64(len(b)) > limit:
		return nil, &problem{status: http.StatusRequestEntityTooLarge, reason: fmt.Sprintf("body is larger than the limit of %d bytes", limit),
			hint: "send smaller batches (OpenTelemetry Collector: lower send_batch_max_size) or raise --max-body-bytes"}
	case err != nil:
		return nil, &problem{status: http.StatusBadRequest, reason: "reading body: " + err.Error()}
	}
	return b, nil
}

// validHMAC reports whether hexSig is the HMAC-SHA256 of body under key, in constant time.
func validHMAC(key, body []byte, hexSig string) bool {
	got, err := hex.DecodeString(strings.TrimSpace(hexSig))
	if err != nil || len(got) != sha256.Size {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// Sign returns the hex HMAC-SHA256 of body under key (what GitHub and PagerDuty send); tests,
// the benchmark and the README's curl example use it.
func Sign(key, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// equalToken compares a shared token in constant time (also when the lengths differ, by
// comparing digests).
func equalToken(want []byte, got string) bool {
	a := sha256.Sum256(want)
	b := sha256.Sum256([]byte(got))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// bearer returns the token of an "Authorization: Bearer …" header.
func bearer(r *http.Request) string {
	v := r.Header.Get("Authorization")
	if len(v) > 7 && strings.EqualFold(v[:7], "bearer ") {
		return strings.TrimSpace(v[7:])
	}
	return ""
}

// webhook runs the common steps of a webhook endpoint: read, verify, decode, map, store, answer.
// verify returns false for a bad signature; mapFn decodes and maps the body (a *problem for
// undecodable input).
func (h *Handler) webhook(w http.ResponseWriter, r *http.Request, source string, verify func(body []byte) bool,
	mapFn func(body []byte) (Mapped, *problem)) {
	body, p := readBody(r, h.cfg.MaxBodyBytes)
	if p != nil {
		h.rcv.Stats.Malformed(source, h.rcv.now())
		writeProblem(w, p)
		return
	}
	if !verify(body) {
		h.rcv.Stats.SignatureFailure(source, h.rcv.now())
		writeProblem(w, &problem{status: http.StatusUnauthorized, reason: "signature or token is missing or does not match",
			hint: "configure the sender with the same secret serve has"})
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		// GitHub's other content type: the JSON is the form field "payload" (signed as sent).
		form, err := url.ParseQuery(string(body))
		if err != nil || form.Get("payload") == "" {
			h.rcv.Stats.Malformed(source, h.rcv.now())
			writeProblem(w, &problem{status: http.StatusBadRequest, reason: "form body has no payload field",
				hint: "set the webhook's content type to application/json"})
			return
		}
		body = []byte(form.Get("payload"))
	}
	if !json.Valid(body) {
		h.rcv.Stats.Malformed(source, h.rcv.now())
		writeProblem(w, &problem{status: http.StatusBadRequest, reason: "body is not valid JSON" + jsonErrorAt(body),
			hint: "send the JSON payload with Content-Type application/json"})
		return
	}
	m, p := mapFn(body)
	if p != nil {
		h.rcv.Stats.Malformed(source, h.rcv.now())
		writeProblem(w, p)
		return
	}
	h.store(w, r, source, m, http.StatusAccepted)
}

func (h *Handler) store(w http.ResponseWriter, r *http.Request, source string, m Mapped, okStatus int) {
	out, err := h.rcv.Deliver(r.Context(), source, m)
	if err != nil {
		h.rcv.log.Error("storing events failed", "source", source, "error", err)
		writeProblem(w, &problem{status: http.StatusServiceUnavailable, reason: "storing the events failed: " + err.Error(),
			hint: "the sender should retry; check `platformlens status` and serve's log"})
		return
	}
	status := okStatus
	if len(out.Rejected) > 0 {
		status = http.StatusBadRequest
	}
	writeJSON(w, status, out)
}

func jsonErrorAt(body []byte) string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return ": " + err.Error()
	}
	return ""
}
