package metrics

import "context"

// Incident and change ticket metrics (seed metric type incident-metrics).

const changeTicketsRaw = `SELECT opened_at AS ts, priority, status, team FROM change_tickets`

const ticketsCompletedRaw = `SELECT completed_at AS ts, priority, status, team,
  extract(epoch FROM completed_at - opened_at) / 3600 AS hours FROM change_tickets WHERE completed_at IS NOT NULL`

var ticketDims = sameNameColumns("priority", "status", "team")

// activeIncidents: an incident is active at instant t when opened before t and not resolved by t.
var activeIncidents = &pointSpec{
	Source: `SELECT opened_at AS ts, resolved_at AS until, severity, service, platform, team FROM incidents`,
	Dims:   incidentDims, Value: "count(*)", Fill: fillZero,
}

func init() {
	RegisterSeries(Definition{
		ID: "incidents_active", Title: "Active incidents", Category: "incident-metrics", Unit: "count", GrafanaUnit: "short",
		Description: "Incidents opened and not resolved at the end of the range (time series: at the end of each bucket); by severity when grouped.",
		Dimensions:  incidentDims.keys(),
	}, func(ctx context.Context, env *Env, q Query) (*Result, error) {
		return runPoint(ctx, env, q, activeIncidents)
	})

	registerAgg(Definition{
		ID: "incident_resolution_time", Title: "Incident resolution time", Category: "incident-metrics", Unit: "h", GrafanaUnit: "h",
		Description: "Mean (resolved_at − opened_at) in hours of incidents resolved in range; by severity when grouped.",
	}, &aggSpec{Source: incidentsResolvedRaw, Dims: incidentDims, Fill: []fill{fillNull},
		Values: []string{"avg(extract(epoch FROM resolved_at - opened_at) / 3600)"}})

	registerAgg(Definition{
		ID: "change_tickets", Title: "Change tickets", Category: "incident-metrics", Unit: "count", GrafanaUnit: "short",
		Description: "Change tickets opened in range; by status or priority when grouped.",
	}, &aggSpec{Source: changeTicketsRaw, Dims: ticketDims, Fill: []fill{fillZero}, Values: []string{"count(*)"}})

	registerAgg(Definition{
		ID: "change_ticket_completion_time", Title: "Change ticket completion time", Category: "incident-metrics", Unit: "h", GrafanaUnit: "h",
		Description: "Mean (completed_at − opened_at) in hours of change tickets completed in range.",
	}, &aggSpec{Source: ticketsCompletedRaw, Dims: ticketDims, Fill: []fill{fillNull}, Values: []string{"avg(hours)"}})
}
