package records

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func fp(v float64) *float64 { return &v }
func sp(v string) *string   { return &v }

func series(labels data.Labels, times []time.Time, vals []*float64) *data.Frame {
	f := data.NewFrame("m", data.NewField("time", nil, times), data.NewField("value", labels, vals))
	f.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti}
	return f
}

func TestFromFramesAndWriters(t *testing.T) {
	t0 := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	t1 := t0.Add(24 * time.Hour)
	berlin := time.FixedZone("CET", 3600)
	empty := data.NewFrame("m")
	empty.Meta = &data.FrameMeta{Notices: []data.Notice{{Text: "No data for m."}}}
	table := data.NewFrame("t", data.NewField("team", nil, []string{"payments", "search"}),
		data.NewField("value", nil, []*float64{fp(1.5), nil}),
		data.NewField("trend", nil, []*string{sp("up"), nil}))
	table.Meta = &data.FrameMeta{Type: data.FrameTypeNumericLong}
	cases := []struct {
		name    string
		frames  data.Frames
		json    string
		csv     string
		notices int
	}{
		{
			name:   "single series, NaN and nil are null, times UTC RFC 3339",
			frames: data.Frames{series(nil, []time.Time{t0.In(berlin), t1}, []*float64{fp(math.NaN()), fp(2)})},
			json:   `[{"time":"2026-01-05T00:00:00Z","value":null},{"time":"2026-01-06T00:00:00Z","value":2}]`,
			csv:    "time,value\n2026-01-05T00:00:00Z,\n2026-01-06T00:00:00Z,2\n",
		},
		{
			name: "grouped series: long form, label keys sorted, missing label null",
			frames: data.Frames{
				series(data.Labels{"team": "a", "stack": "go"}, []time.Time{t0}, []*float64{fp(0.25)}),
				series(data.Labels{"team": "b"}, []time.Time{t0}, []*float64{nil}),
			},
			json: `[{"time":"2026-01-05T00:00:00Z","stack":"go","team":"a","value":0.25},{"time":"2026-01-05T00:00:00Z","stack":null,"team":"b","value":null}]`,
			csv:  "time,stack,team,value\n2026-01-05T00:00:00Z,go,a,0.25\n2026-01-05T00:00:00Z,,b,\n",
		},
		{
			name:   "table frame keeps its column order",
			frames: data.Frames{table},
			json:   `[{"team":"payments","value":1.5,"trend":"up"},{"team":"search","value":null,"trend":null}]`,
			csv:    "team,value,trend\npayments,1.5,up\nsearch,,\n",
		},
		{
			name:    "no data: empty array, notice kept",
			frames:  data.Frames{empty},
			json:    `[]`,
			csv:     "",
			notices: 1,
		},
		{
			name: "table frames of different columns: union, missing null",
			frames: data.Frames{
				data.NewFrame("a", data.NewField("k", nil, []string{"x"}), data.NewField("n", nil, []int64{3})),
				data.NewFrame("b", data.NewField("k", nil, []string{"y"}), data.NewField("ok", nil, []bool{true}), data.NewField("inf", nil, []float64{math.Inf(1)})),
			},
			json: `[{"k":"x","n":3,"ok":null,"inf":null},{"k":"y","n":null,"ok":true,"inf":null}]`,
			csv:  "k,n,ok,inf\nx,3,,\ny,,true,\n",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tab := FromFrames(tc.frames)
			if len(tab.Notices) != tc.notices {
				t.Errorf("notices = %v, want %d", tab.Notices, tc.notices)
			}
			var js bytes.Buffer
			if err := WriteJSON(&js, tab); err != nil {
				t.Fatal(err)
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, js.Bytes()); err != nil {
				t.Fatalf("WriteJSON wrote invalid JSON %q: %v", js.String(), err)
			}
			if compact.String() != tc.json {
				t.Errorf("JSON\n got %s\nwant %s", compact.String(), tc.json)
			}
			var cs bytes.Buffer
			if err := WriteCSV(&cs, tab); err != nil {
				t.Fatal(err)
			}
			if cs.String() != tc.csv {
				t.Errorf("CSV\n got %q\nwant %q", cs.String(), tc.csv)
			}
		})
	}
}

func TestRecordGet(t *testing.T) {
	tab := Table{Columns: []string{"a", "b"}, Rows: [][]any{{"x", 1.0}}}
	rec := tab.Records()[0]
	if v, ok := rec.Get("b"); !ok || v != 1.0 {
		t.Errorf("Get(b) = %v, %v", v, ok)
	}
	if _, ok := rec.Get("c"); ok {
		t.Error("Get(c) found a column that does not exist")
	}
}
