package datasource

import (
	"errors"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// Explain turns a settings, connection or database error into one sentence that says what went
// wrong and what to change. Settings errors name the field; everything else is explained by
// store.Explain (unreachable host, wrong password, missing database, TLS mismatch, …). The
// password never appears: neither error source includes it.
func Explain(err error) string {
	var se *SettingsError
	if errors.As(err, &se) {
		return se.Error() + " — fix it in the datasource settings and press Save & test"
	}
	return store.Explain(err)
}
