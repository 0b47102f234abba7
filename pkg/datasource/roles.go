package datasource

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Role is a Grafana organisation role, ordered by privilege.
type Role int

// Grafana organisation roles. RoleNone is Grafana's "No basic role" and any unknown value.
const (
	RoleNone Role = iota
	RoleViewer
	RoleEditor
	RoleAdmin
)

func (r Role) String() string {
	switch r {
	case RoleViewer:
		return "Viewer"
	case RoleEditor:
		return "Editor"
	case RoleAdmin:
		return "Admin"
	default:
		return "None"
	}
}

// ParseRole maps Grafana's OrgRole string ("Viewer", "Editor", "Admin", "None") to a Role.
func ParseRole(s string) Role {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "viewer":
		return RoleViewer
	case "editor":
		return RoleEditor
	case "admin":
		return RoleAdmin
	default:
		return RoleNone
	}
}

// requestUser returns the Grafana user who made the request. Grafana puts it in the plugin
// context of every call; the http adapter copies it into the request context.
func requestUser(r *http.Request) *backend.User {
	if u := backend.UserFromContext(r.Context()); u != nil {
		return u
	}
	return backend.PluginConfigFromContext(r.Context()).User
}

// requireRole checks the role of the request's Grafana user. The check is done here, in the
// backend, because resource calls can be made with any Grafana session or API token, not only
// through the app's UI.
func requireRole(r *http.Request, min Role) error {
	if min == RoleNone {
		return nil
	}
	u := requestUser(r)
	if u == nil {
		return &httpError{
			status: http.StatusForbidden,
			msg:    fmt.Sprintf("%s %s needs the Grafana %s role, and the request carries no Grafana user", r.Method, r.URL.Path, min),
			hint:   "call this endpoint through Grafana (/api/datasources/uid/<uid>/resources/…) with a signed-in user or a service account token",
		}
	}
	if got := ParseRole(u.Role); got < min {
		return &httpError{
			status: http.StatusForbidden,
			msg:    fmt.Sprintf("%s %s needs the Grafana %s role; user %q has role %s", r.Method, r.URL.Path, min, u.Login, got),
			hint:   fmt.Sprintf("ask an organisation admin to give you the %s role", min),
		}
	}
	return nil
}
