package metrics

import (
	"bytes"
	"encoding/json"
	"sync/atomic"
)

// QueryJSON is the query model on the wire (docs/architecture.md, "Query JSON"): the union of the
// fields of every query type. A query's JSON is decoded into it exactly once (DecodeQueryJSON);
// Parse then builds the one variant the query type names and validates it.
type QueryJSON struct {
	RefID     string `json:"refId"`
	QueryType string `json:"queryType"`
	// Metric queries (and the anomaly annotations, which read the same fields).
	Metric       string                `json:"metric"`
	Filters      map[string]StringList `json:"filters"`
	AdHocFilters []AdHocFilter         `json:"adhocFilters"`
	GroupBy      string                `json:"groupBy"`
	Interval     string                `json:"interval"`
	Format       string                `json:"format"`
	Compare      string                `json:"compare"`
	Stat         string                `json:"stat"`
	Funnel       string                `json:"funnel"`
	Breakdown    string                `json:"breakdown"`
	BaseMetric   string                `json:"baseMetric"`
	Horizon      json.Number           `json:"horizon"`
	Sensitivity  json.Number           `json:"sensitivity"`
	Bands        string                `json:"bands"`
	// DoraKey is dora_evidence's key option ("key" itself is a field Grafana adds to every query).
	DoraKey string `json:"doraKey"`
	// SQL mode.
	RawSQL string `json:"rawSql"`
	// Annotation queries.
	Kind           string `json:"kind"`
	ProductionOnly bool   `json:"productionOnly"`
	// Template variable queries.
	Dimension string `json:"dimension"`
	// Target queries: the targets table row (Key) and the value when it is absent.
	Key     string   `json:"key"`
	Default *float64 `json:"default"`
	// Grafana adds these to every query; accepted and ignored.
	Datasource    json.RawMessage `json:"datasource"`
	Hide          bool            `json:"hide"`
	IntervalMs    json.Number     `json:"intervalMs"`
	MaxDataPoints json.Number     `json:"maxDataPoints"`
	DatasourceID  json.Number     `json:"datasourceId"`
}

// StringList is a filter's values. Metric and annotation queries send an array; template variable
// queries store one value (often a variable such as "$tech_stack"), which is read as a list of one.
type StringList []string

// UnmarshalJSON accepts an array of strings or a single string.
func (l *StringList) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = StringList{s}
		return nil
	}
	var vs []string
	if err := json.Unmarshal(b, &vs); err != nil {
		return err
	}
	*l = vs
	return nil
}

// queryJSONDecodes counts DecodeQueryJSON calls; see QueryJSONDecodes.
var queryJSONDecodes atomic.Int64

// QueryJSONDecodes reports how many query JSON documents this process has decoded. The backend
// decodes each query once; a test holds the query path to that by comparing this count before
// and after a request.
func QueryJSONDecodes() int64 { return queryJSONDecodes.Load() }

// DecodeQueryJSON decodes one query's JSON (numbers kept exact for the range checks of the
// numeric options). An empty document is an empty query.
func DecodeQueryJSON(raw []byte) (QueryJSON, error) {
	queryJSONDecodes.Add(1)
	var j QueryJSON
	if len(bytes.TrimSpace(raw)) == 0 {
		return j, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&j); err != nil {
		return QueryJSON{}, err
	}
	return j, nil
}

// filterLists turns the decoded filters into plain lists.
func (j QueryJSON) filterLists() map[string][]string {
	if j.Filters == nil {
		return nil
	}
	out := make(map[string][]string, len(j.Filters))
	for k, v := range j.Filters {
		out[k] = []string(v)
	}
	return out
}
