package api

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/delivery"
)

// Admin is the administration API of keys and report schedules, for the Configuration page and
// scripts. It is guarded by one admin token (PLATFORMLENS_ADMIN_TOKEN of serve), compared in
// constant time; API keys never reach it.
type Admin struct {
	Token     string
	Keys      Keys
	Schedules delivery.Store
	Now       func() time.Time
}

// Register adds the admin routes under /api/v1/admin to mux.
func (a *Admin) Register(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/admin/keys", a.guard(a.listKeys))
	mux.Handle("POST /api/v1/admin/keys", a.guard(a.createKey))
	mux.Handle("DELETE /api/v1/admin/keys/{id}", a.guard(a.revokeKey))
	mux.Handle("GET /api/v1/admin/schedules", a.guard(a.listSchedules))
	mux.Handle("POST /api/v1/admin/schedules", a.guard(a.addSchedule))
	mux.Handle("DELETE /api/v1/admin/schedules/{id}", a.guard(a.removeSchedule))
	mux.Handle("GET /api/v1/admin/report-runs", a.guard(a.runs))
}

func (a *Admin) guard(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		const p = "Bearer "
		got := r.Header.Get("Authorization")
		if a.Token == "" || len(got) <= len(p) || subtle.ConstantTimeCompare([]byte(got[len(p):]), []byte(a.Token)) != 1 {
			writeError(w, http.StatusUnauthorized, "admin token missing or wrong: send Authorization: Bearer $PLATFORMLENS_ADMIN_TOKEN")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		h(w, r)
	})
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (a *Admin) listKeys(w http.ResponseWriter, r *http.Request) {
	keys, err := a.Keys.List(r.Context())
	if err != nil {
		writeError(w, http.StatusBadGateway, err.Error())
		return
	}
	reply(w, 200, keys)
}

func (a *Admin) createKey(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name           string `json:"name"`
		RESTPerHour    int    `json:"restPerHour"`
		GraphQLPerHour int    `json:"graphqlPerHour"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "body must be {\"name\": …, \"restPerHour\"?: n, \"graphqlPerHour\"?: n}: "+err.Error())
		return
	}
	k, secret, err := a.Keys.Create(r.Context(), in.Name, in.RESTPerHour, in.GraphQLPerHour, a.Now())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	reply(w, http.StatusCreated, map[string]any{"key": k, "secret": secret, "note": "the secret is shown once; store it now"})
}

func (a *Admin) revokeKey(w http.ResponseWriter, r *http.Request) {
	if err := a.Keys.Revoke(r.Context(), r.PathValue("id"), a.Now()); err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *Admin) listSchedules(w http.ResponseWriter, r *http.Request) {
	list, err := a.Schedules.List(r.Context())
	if err != nil {
		writeError(w, http.StatusBadGateway, err.Error())
		return
	}
	reply(w, 200, list)
}

func (a *Admin) addSchedule(w http.ResponseWriter, r *http.Request) {
	var sc delivery.Schedule
	if err := json.NewDecoder(r.Body).Decode(&sc); err != nil {
		writeError(w, http.StatusBadRequest, "body must be a schedule {\"name\", \"when\", \"rangeDays\", \"format\", \"emails\", \"webhooks\", \"filters\"}: "+err.Error())
		return
	}
	if err := sc.Validate(); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	added, err := a.Schedules.Add(r.Context(), sc, a.Now())
	if err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	reply(w, http.StatusCreated, added)
}

func (a *Admin) removeSchedule(w http.ResponseWriter, r *http.Request) {
	if err := a.Schedules.Remove(r.Context(), r.PathValue("id")); err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *Admin) runs(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.URL.Query().Get("schedule"), 10, 64)
	runs, err := a.Schedules.Runs(r.Context(), id, 200)
	if err != nil {
		writeError(w, http.StatusBadGateway, err.Error())
		return
	}
	reply(w, 200, runs)
}
