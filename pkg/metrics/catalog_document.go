package metrics

// Category groups metrics in the editor's metric picker and in docs/metrics.md.
type Category struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// categories in the order the editor and the docs show them.
var categories = []Category{
	{"platform-stack", "Platform stack"},
	{"pipeline-metrics", "Pipelines"},
	{"developer-experience", "Developer experience"},
	{"throughput", "Throughput"},
	{"stability", "Stability"},
	{"efficiency", "Efficiency"},
	{"quality", "Quality"},
	{"cost-analytics", "Cost"},
	{"revenue-impact", "Revenue"},
	{"incident-metrics", "Incidents and change tickets"},
	{"environment-metrics", "Environments"},
	{"funnels", "Funnels"},
	{"advanced-analytics", "Forecasts and anomalies"},
}

// Categories lists the metric categories with their titles, in display order.
func Categories() []Category { return append([]Category(nil), categories...) }

// CatalogDocument is the body of GET /catalog (and `platformlens catalog --json`): everything the
// editors render from, so no metric, option default, dimension or annotation filter key is
// written twice. The frontend fixture src/test/catalog.generated.json is this document.
type CatalogDocument struct {
	Metrics         []Definition     `json:"metrics"`
	Dimensions      []Dimension      `json:"dimensions"`
	Categories      []Category       `json:"categories"`
	AnnotationKinds []AnnotationKind `json:"annotationKinds"`
}

// Document returns the catalog document.
func Document() CatalogDocument {
	return CatalogDocument{Metrics: Catalog(), Dimensions: Dimensions(), Categories: Categories(), AnnotationKinds: AnnotationKinds()}
}
