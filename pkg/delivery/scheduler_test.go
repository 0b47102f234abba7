package delivery

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	db := testdb.New(t)
	st, err := store.Open(ctx, store.Config{DSN: db.DSN})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
}

// fakeClock is the scheduler's clock; the test moves it.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// TestWeeklyReportDeliveredOncePerPeriod runs two schedulers (two serve processes) with a fake
// clock ticking every 10 minutes through three weeks: each Monday 08:00 Berlin period gets
// exactly one e-mail per recipient and one webhook call, a failed first attempt is retried after
// the backoff, and every run is recorded.
func TestWeeklyReportDeliveredOncePerPeriod(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	sink := newSMTPSink(t)
	host, port := sink.addr()
	var hookMu sync.Mutex
	var hooks []map[string]any
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &body)
		hookMu.Lock()
		hooks = append(hooks, body)
		hookMu.Unlock()
	}))
	t.Cleanup(hook.Close)

	// Created on Sunday 2026-03-01 12:00 UTC.
	clock := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	store := Store{DB: st.Pool()}
	sc, err := store.Add(ctx, Schedule{Name: "leadership", When: "weekly, Monday 08:00, Europe/Berlin", RangeDays: 30,
		Format: "md", Emails: []string{"leadership@company.com", "cto@company.com"}, Webhooks: []string{hook.URL + "/slack"}}, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	newScheduler := func() *Scheduler {
		return &Scheduler{Store: store, Engine: metrics.NewEngine(st), Now: clock.Now,
			SMTP: SMTP{Host: host, Port: port, From: "platformlens@company.com"},
			Log:  slog.New(slog.NewTextHandler(io.Discard, nil)), Backoff: 5 * time.Minute}
	}
	a, b := newScheduler(), newScheduler()
	sink.failNext = 1 // the first e-mail of the first period fails once

	end := time.Date(2026, 3, 22, 0, 0, 0, 0, time.UTC) // three Mondays: 2, 9, 16 March
	for now := clock.Now(); now.Before(end); now = now.Add(10 * time.Minute) {
		clock.Set(now)
		var wg sync.WaitGroup
		for _, s := range []*Scheduler{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = s.Tick(ctx) // failures are recorded in report_runs and checked below
			}()
		}
		wg.Wait()
	}

	msgs := sink.received()
	per := map[string]int{}
	for _, m := range msgs {
		per[m.To]++
		msg, err := mail.ReadMessage(strings.NewReader(m.Data))
		if err != nil {
			t.Fatalf("message to %s is not RFC 5322: %v", m.To, err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if !strings.HasPrefix(subject, "PlatformLens executive report: leadership (") || !strings.Contains(m.Data, "filename=\"platformlens-report-") {
			t.Errorf("message to %s lacks subject or attachment: %q\n%.400s", m.To, subject, m.Data)
		}
	}
	if len(msgs) != 6 || per["leadership@company.com"] != 3 || per["cto@company.com"] != 3 {
		t.Errorf("delivered %d e-mails %v, want exactly one per recipient per weekly period (6)", len(msgs), per)
	}
	if len(hooks) != 3 {
		t.Errorf("webhook called %d times, want 3", len(hooks))
	}
	for _, h := range hooks {
		if !strings.Contains(h["text"].(string), "1. Executive summary") {
			t.Errorf("webhook text lacks the summary: %v", h["text"])
		}
	}
	runs, err := store.Runs(ctx, sc.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	wantPeriods := []time.Time{time.Date(2026, 3, 16, 8, 0, 0, 0, berlin), time.Date(2026, 3, 9, 8, 0, 0, 0, berlin), time.Date(2026, 3, 2, 8, 0, 0, 0, berlin)}
	if len(runs) != 3 {
		t.Fatalf("runs %+v, want 3", runs)
	}
	for i, r := range runs {
		if !r.Period.Equal(wantPeriods[i]) || r.Status != "sent" || len(r.Recipients) != 3 || r.FinishedAt == nil {
			t.Errorf("run %d = %+v, want period %s sent to 3 recipients", i, r, wantPeriods[i])
		}
	}
	if runs[2].Attempts != 2 || runs[0].Attempts != 1 {
		t.Errorf("attempts %d (first period, one failure) and %d (last), want 2 and 1", runs[2].Attempts, runs[0].Attempts)
	}
	// The report covers 30 whole Berlin days before the Monday.
	from, to := Range(sc, wantPeriods[2])
	if !to.Equal(time.Date(2026, 3, 1, 23, 0, 0, 0, time.UTC)) || to.Sub(from) != 30*24*time.Hour {
		t.Errorf("range %s – %s", from, to)
	}
}

func TestScheduleValidation(t *testing.T) {
	bad := []Schedule{
		{Name: "", When: "daily 08:00", Emails: []string{"a@b.c"}},
		{Name: "x", When: "sometimes", Emails: []string{"a@b.c"}},
		{Name: "x", When: "daily 08:00"},
		{Name: "x", When: "daily 08:00", Emails: []string{"Boss <a@b.c>"}},
		{Name: "x", When: "daily 08:00", Webhooks: []string{"file:///etc/passwd"}},
		{Name: "x", When: "daily 08:00", Emails: []string{"a@b.c"}, RangeDays: 400},
		{Name: "x", When: "daily 08:00", Emails: []string{"a@b.c"}, Format: "docx"},
	}
	for _, s := range bad {
		if err := s.Validate(); err == nil {
			t.Errorf("%+v accepted", s)
		}
	}
}
