import React, { useState } from 'react';
import { Alert, Button, RadioButtonGroup, Stack } from '@grafana/ui';

import { PlatformLensApi } from '../../api/platformlens';
import { MigrateResult } from '../../api/types';
import { labels } from '../../labels';
import { selectors } from '../../selectors';
import { toError } from '../../api/errors';
import { DemoProgress } from './DemoProgress';
import { useDemoJob } from './useDemoJob';

const L = labels.configuration;

/** Seed of the demo data set the page loads: the documented, reproducible default. */
const DEMO_SEED = 1;

type Outcome = { severity: 'success' | 'error'; text: string } | undefined;

export function describeMigration(r: MigrateResult): string {
  return L.migrated(r.applied?.length ?? 0, r.version ?? 0);
}

/** Migrate and demo-data actions (Admin only: the backend checks the role too). */
export function AdminActions({ api, onDone }: { api: PlatformLensApi; onDone: () => void }) {
  const [migrating, setMigrating] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const [tier, setTier] = useState('S');
  const demo = useDemoJob(api, onDone);
  const busy = migrating || demo.busy;

  const migrate = async () => {
    setMigrating(true);
    setOutcome(undefined);
    try {
      setOutcome({ severity: 'success', text: describeMigration(await api.migrate()) });
      onDone();
    } catch (err) {
      setOutcome({ severity: 'error', text: toError(err).message });
    } finally {
      setMigrating(false);
    }
  };

  return (
    <Stack direction="column" gap={2}>
      <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
        <Button
          data-testid={selectors.pages.migrate}
          icon={migrating ? 'spinner' : 'database'}
          disabled={busy}
          onClick={migrate}
        >
          {migrating ? L.migrating : L.migrate}
        </Button>
        <RadioButtonGroup
          aria-label={L.demoTier}
          options={Object.entries(L.demoTiers).map(([value, label]) => ({ value, label }))}
          // While a load runs, show the tier that is loading, not the last one picked here.
          value={demo.job?.state === 'running' ? demo.job.tier : tier}
          disabled={busy}
          onChange={setTier}
        />
        <Button
          data-testid={selectors.pages.demo}
          variant="secondary"
          icon={demo.busy ? 'spinner' : 'upload'}
          disabled={busy}
          onClick={() => {
            setOutcome(undefined);
            demo.start(tier, DEMO_SEED);
          }}
        >
          {demo.busy ? L.demoLoading : L.demo}
        </Button>
      </Stack>
      {outcome && <Alert severity={outcome.severity} title={outcome.text} />}
      <DemoProgress job={demo.job} error={demo.error} />
    </Stack>
  );
}
