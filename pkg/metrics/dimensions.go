package metrics

// Dimension is one filterable / groupable attribute, as the /catalog route lists it.
type Dimension struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// dimensionOrder is the whitelist of dimensions, in the order the editor shows them. A dimension
// id doubles as the column name in every row source of this package, which is why an id can be
// written into SQL: it is compared against this constant list first (see dimensionColumn).
var dimensionOrder = []Dimension{
	{"tech_stack", "Tech stack"},
	{"team", "Team"},
	{"service", "Service"},
	{"platform", "Platform"},
	{"environment", "Environment"},
	{"environment_type", "Environment type"},
	{"product_line", "Product line"},
	{"severity", "Severity"},
	{"status", "Status"},
	{"priority", "Priority"},
	{"funnel", "Funnel"},
	{"repo", "Repository"},
	{"pipeline", "Pipeline"},
}

var dimensionLabels = func() map[string]string {
	m := make(map[string]string, len(dimensionOrder))
	for _, d := range dimensionOrder {
		m[d.ID] = d.Label
	}
	return m
}()

// Dimensions lists the whitelisted dimensions with their labels.
func Dimensions() []Dimension {
	out := make([]Dimension, len(dimensionOrder))
	copy(out, dimensionOrder)
	return out
}

// dimensionColumn returns the constant column name for a dimension id, or false when id is not
// whitelisted. The returned string is the constant from dimensionOrder, never the caller's text.
func dimensionColumn(id string) (string, bool) {
	for _, d := range dimensionOrder {
		if d.ID == id {
			return d.ID, true
		}
	}
	return "", false
}
