package receiver

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// resolveIncidents closes incidents stored by an earlier delivery. The ingest path is
// append-only (a row with the same source, external_id and opened_at is a duplicate), but tools
// report an incident twice: when it opens and when it resolves. The resolution may only fill
// resolved_at of the same incident, once, and never before it opened.
func (r *Receiver) resolveIncidents(ctx context.Context, source string, events []Event) (int, error) {
	if r.store == nil {
		return 0, nil
	}
	batch := &pgx.Batch{}
	sql := fmt.Sprintf(`UPDATE %s SET resolved_at = $1
		WHERE source = $2 AND external_id = $3 AND opened_at = $4 AND resolved_at IS NULL AND $1 >= opened_at`,
		pgx.Identifier{r.store.Schema(), "incidents"}.Sanitize())
	for _, ev := range events {
		if ev.Table != "incidents" {
			continue
		}
		resolved, ok := ev.Row["resolved_at"].(time.Time)
		opened, ok2 := ev.Row["opened_at"].(time.Time)
		id, _ := ev.Row["external_id"].(string)
		if !ok || !ok2 || id == "" {
			continue
		}
		batch.Queue(sql, resolved, source, id, opened)
	}
	if batch.Len() == 0 {
		return 0, nil
	}
	res := r.store.Pool().SendBatch(ctx, batch)
	defer res.Close()
	n := 0
	for i := 0; i < batch.Len(); i++ {
		tag, err := res.Exec()
		if err != nil {
			return n, fmt.Errorf("resolve incidents: %w", err)
		}
		n += int(tag.RowsAffected())
	}
	return n, nil
}
