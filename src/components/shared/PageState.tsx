import React, { useMemo } from 'react';
import { Alert, Button, LinkButton, LoadingPlaceholder } from '@grafana/ui';

import { findDatasource, NoDatasourceError, PlatformLensApi } from '../../api/platformlens';
import { labels } from '../../labels';

/** The API client of the app's data source, or the reason there is none. */
export function useApi(): { api?: PlatformLensApi; error?: Error } {
  // One client per mounted page: effects keyed on it must not re-run on every render.
  return useMemo(() => {
    try {
      return { api: new PlatformLensApi(findDatasource()) };
    } catch (error) {
      return { error: error as Error };
    }
  }, []);
}

/** An actionable error: what failed, the message, and what to do (retry, or add a data source). */
export function RequestError({ error, title, onRetry }: { error: Error; title?: string; onRetry?: () => void }) {
  if (error instanceof NoDatasourceError) {
    return (
      <Alert severity="warning" title={labels.app.noDatasource}>
        <p>{labels.app.noDatasourceHint}</p>
        <LinkButton href="/connections/datasources/new" variant="secondary" icon="plus">
          {labels.app.addDatasource}
        </LinkButton>
      </Alert>
    );
  }
  return (
    <Alert severity="error" title={title ?? labels.app.requestFailed}>
      <p>{error.message}</p>
      {onRetry && (
        <Button variant="secondary" size="sm" icon="sync" onClick={onRetry}>
          {labels.app.retry}
        </Button>
      )}
    </Alert>
  );
}

export function Loading() {
  return <LoadingPlaceholder text={labels.app.loading} />;
}
