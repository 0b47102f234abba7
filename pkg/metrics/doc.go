// Package metrics is PlatformLens' metric engine: the catalog of metric definitions (options
// with their defaults: options.go; categories and annotation kinds: catalog_document.go), the
// query model the datasource receives (query_json.go, request.go, query.go), the SQL builders
// (aggregate.go, filters.go, buckets.go, sources.go, grid.go), annotations and targets, compare
// periods and the data frames Grafana panels and alert rules read. Pure statistics live in the
// stats subpackage.
//
// # Adding a metric
//
// Every metric lives in exactly one place: a Definition plus its computation, registered from an
// init function in the file of its family (metrics_pipeline.go, metrics_cost.go, …).
//
//   - An aggregate over one event table: describe it with an aggSpec (the row source, the
//     dimensions it exposes, the aggregate expression, how empty buckets fill, and optionally a
//     rollup source) and call registerAgg(def, spec). Filters, group-by, buckets, gap filling,
//     compare periods, targets and frames then come for free, identically for every metric.
//   - A series built another way (several queries combined, point-in-time counts …): write a
//     SeriesFunc returning *Result (series on the bucket grid) and call RegisterSeries; compare,
//     gap filling and frames still come from the engine. A row source whose statement answers
//     (bucket, group, value…) rows reads them with queryGrid (grid.go), as the aggregate,
//     percentile and point-in-time sources do.
//   - Anything else (multi-column tables): write a RunFunc returning data.Frames and call
//     Register. Env gives the pool, the store mode, filter SQL (Env.FilterSQL), buckets
//     (Env.BucketSQL; the grid itself is bucketStarts in grid.go), targets and frame helpers
//     (TableFrame, EmptyFrame).
//
// User input never reaches SQL text: dimension names are looked up in a whitelist of constants
// (dimensionColumn) and every value is a bound (named) parameter.
//
// Then add a test with the exact expected values on testdata/fixture.sql, with the arithmetic in
// a comment.
package metrics
