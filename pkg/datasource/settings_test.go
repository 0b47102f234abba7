package datasource

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

func TestLoadSettingsDefaults(t *testing.T) {
	s, err := LoadSettings(instanceSettings(t, map[string]any{"user": "grafana"}, map[string]string{"password": "s3cret"}))
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{Host: "localhost", Port: 5432, Database: "platformlens", User: "grafana", Schema: "platformlens",
		SSLMode: "require", MaxConns: 10, StatementTimeout: 30 * time.Second, RowLimit: 100000, ResultLimitBytes: 4 << 20, Password: "s3cret"}
	if s != want {
		t.Fatalf("defaults:\n got %s\nwant %s", s, want)
	}
}

func TestLoadSettingsAcceptsNumbersAsStrings(t *testing.T) {
	s, err := LoadSettings(instanceSettings(t, map[string]any{
		"host": "db.internal", "port": "6543", "database": "lens", "user": "u", "schema": "pl",
		"sslMode": "verify-full", "maxConns": 3, "statementTimeoutSeconds": "5", "rowLimit": 10,
		"doraBands": "2021",
	}, map[string]string{"tlsCACert": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}))
	if err != nil {
		t.Fatal(err)
	}
	if s.Port != 6543 || s.MaxConns != 3 || s.StatementTimeout != 5*time.Second || s.RowLimit != 10 || s.Schema != "pl" || s.SSLMode != "verify-full" || s.DORABands != "2021" {
		t.Fatalf("parsed %s", s)
	}
}

func TestLoadSettingsFallsBackToTopLevelUserAndDatabase(t *testing.T) {
	is := instanceSettings(t, map[string]any{}, nil)
	is.User, is.Database = "legacy", "olddb"
	s, err := LoadSettings(is)
	if err != nil {
		t.Fatal(err)
	}
	if s.User != "legacy" || s.Database != "olddb" {
		t.Fatalf("user/database = %q/%q, want the top-level settings", s.User, s.Database)
	}
}

func TestLoadSettingsRejectsBadValuesNamingTheField(t *testing.T) {
	cases := []struct {
		json  map[string]any
		field string
		text  string
	}{
		{map[string]any{"user": "u", "port": 0}, "port", "between 1 and 65535"},
		{map[string]any{"user": "u", "port": "fifty"}, "port", "whole number"},
		{map[string]any{"user": "u", "port": 70000}, "port", "got 70000"},
		{map[string]any{"user": "u", "sslMode": "prefer"}, "sslMode", "disable, require, verify-ca, verify-full"},
		{map[string]any{"user": "u", "maxConns": -1}, "maxConns", "between"},
		{map[string]any{"user": "u", "statementTimeoutSeconds": 1.5}, "statementTimeoutSeconds", "whole number"},
		{map[string]any{"user": "u", "rowLimit": 0}, "rowLimit", "between"},
		{map[string]any{"user": "u", "host": "db/x"}, "host", "host name"},
		{map[string]any{}, "user", "is empty"},
		{map[string]any{"user": "u", "doraBands": "2019"}, "doraBands", "2023 or 2021"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.json), func(t *testing.T) {
			_, err := LoadSettings(instanceSettings(t, c.json, nil))
			var se *SettingsError
			if !errors.As(err, &se) || se.Field != c.field || !strings.Contains(err.Error(), c.text) {
				t.Fatalf("error = %v, want a SettingsError for %q containing %q", err, c.field, c.text)
			}
			if !backend.IsDownstreamError(err) {
				t.Fatalf("settings errors are the user's to fix and must be downstream: %v", err)
			}
		})
	}
}

func TestLoadSettingsRejectsInvalidJSONAndCertificate(t *testing.T) {
	_, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"port":`)})
	if err == nil || !strings.Contains(err.Error(), `"jsonData"`) {
		t.Fatalf("invalid jsonData: %v", err)
	}
	_, err = LoadSettings(instanceSettings(t, map[string]any{"user": "u", "sslMode": "verify-ca"}, map[string]string{"tlsCACert": "not a cert"}))
	if err == nil || !strings.Contains(err.Error(), "tlsCACert") {
		t.Fatalf("bad CA: %v", err)
	}
}

func TestSettingsNeverPrintThePassword(t *testing.T) {
	s, err := LoadSettings(instanceSettings(t, map[string]any{"user": "u"}, map[string]string{"password": "hunter2-secret"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{s.String(), fmt.Sprintf("%v", s), fmt.Sprintf("%+v", s), fmt.Sprintf("%#v", s)} {
		if strings.Contains(out, "hunter2") {
			t.Fatalf("password printed: %s", out)
		}
	}
	if !strings.Contains(s.String(), "password=set") {
		t.Fatalf("String should say the password is set: %s", s)
	}
}

// The datasource's band set replaces the catalog default only when the query names none.
func TestDatasourceBandsDefault(t *testing.T) {
	s := Settings{DORABands: "2021"}
	for _, c := range []struct {
		json, want string
	}{
		{`{"metric":"dora_summary","format":"table"}`, "2021"},
		{`{"metric":"dora_summary","format":"table","bands":"2023"}`, "2023"},
	} {
		q, err := metrics.ParseQuery([]byte(c.json), backend.TimeRange{From: time.Unix(0, 0), To: time.Unix(3600, 0)}, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.withDefaults(q).Bands; got != c.want {
			t.Errorf("%s: bands %q, want %q", c.json, got, c.want)
		}
	}
	q, _ := metrics.ParseQuery([]byte(`{"metric":"builds"}`), backend.TimeRange{From: time.Unix(0, 0), To: time.Unix(3600, 0)}, 0, 0)
	if got := s.withDefaults(q).Bands; got != "" {
		t.Errorf("builds reads no bands but got %q", got)
	}
}
