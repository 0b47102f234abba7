package datasource

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// ingestBody is the body of POST /ingest/{table}.
type ingestBody struct {
	Events []json.RawMessage `json:"events"`
}

// ingest stores a batch of events. A body over MaxIngestBytes is refused with 413; events that
// fail validation make the answer a 400 that lists each rejected event (index, field, reason)
// next to the counts of what was stored, so a client knows exactly what happened and can resend
// the batch (stored events are deduplicated by source, external_id and time).
func (d *Datasource) ingest(w http.ResponseWriter, r *http.Request, eng Engine) (any, error) {
	raw, err := readBody(w, r, d.MaxIngestBytes)
	if err != nil {
		return nil, err
	}
	var body ingestBody
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return nil, &httpError{status: http.StatusBadRequest, msg: "ingest body is not valid: " + err.Error(),
			hint: `send {"events":[{...}, ...]} with one object per event`}
	}
	if len(body.Events) == 0 {
		return nil, &httpError{status: http.StatusBadRequest, msg: "ingest body has no events",
			hint: `send {"events":[{...}, ...]} with one object per event`}
	}
	table := r.PathValue("table")
	res, err := eng.Ingest(r.Context(), table, body.Events)
	if err != nil {
		return nil, err
	}
	if res.Rejected == nil {
		res.Rejected = []RowError{}
	}
	if len(res.Rejected) > 0 {
		first := res.Rejected[0]
		return nil, &httpError{
			status: http.StatusBadRequest,
			msg: fmt.Sprintf("%d of %d events for %s were rejected (first: event %d, field %q: %s); %d stored, %d duplicates",
				len(res.Rejected), len(body.Events), table, first.Index, first.Field, first.Reason, res.Stored, res.Duplicates),
			hint:  "fix the rejected events and resend them; events already stored are recognised as duplicates",
			extra: map[string]any{"stored": res.Stored, "duplicates": res.Duplicates, "rejected": res.Rejected},
		}
	}
	return res, nil
}

// demoBody is the body of POST /demo.
type demoBody struct {
	Tier string `json:"tier"`
	Seed int64  `json:"seed"`
}

// startDemo validates the request, checks the schema and starts loading the deterministic demo
// data set (tier S by default, seed 1) in the background: 202 with the job, whose progress
// GET /demo reports. The checks run before the 202 so a mistake is answered at once.
func (d *Datasource) startDemo(w http.ResponseWriter, r *http.Request, eng Engine) (any, error) {
	raw, err := readBody(w, r, 1<<16)
	if err != nil {
		return nil, err
	}
	body := demoBody{Tier: "S", Seed: 1}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &body); err != nil {
			return nil, &httpError{status: http.StatusBadRequest, msg: "demo body is not valid JSON: " + err.Error(), hint: `send {"tier":"S","seed":1}`}
		}
	}
	switch body.Tier {
	case "S", "M", "L":
	default:
		return nil, &httpError{status: http.StatusBadRequest, msg: fmt.Sprintf("demo tier must be S, M or L, got %q", body.Tier)}
	}
	if body.Seed < 0 {
		return nil, &httpError{status: http.StatusBadRequest, msg: fmt.Sprintf("demo seed must not be negative, got %d", body.Seed)}
	}
	if err := eng.CheckSchema(r.Context()); err != nil {
		return nil, err
	}
	job, err := startDemo(d.demos, eng, body.Tier, body.Seed, d.now())
	if err != nil {
		return nil, err
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"job": job})
	return nil, nil
}

// demoStatus answers GET /demo: the current or last demo job of this instance ({"job": null}
// before the first).
func (d *Datasource) demoStatus(_ http.ResponseWriter, _ *http.Request, _ Engine) (any, error) {
	return map[string]any{"job": d.demos.Current()}, nil
}

// readBody reads at most limit bytes; a larger body is a 413 with the limit in the reason.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, &httpError{status: http.StatusRequestEntityTooLarge,
			msg:  fmt.Sprintf("request body is larger than the limit of %d bytes", limit),
			hint: "split the events into smaller batches (about 1,000 events per request)"}
	}
	if err != nil {
		return nil, &httpError{status: http.StatusBadRequest, msg: "reading request body: " + err.Error()}
	}
	return b, nil
}
