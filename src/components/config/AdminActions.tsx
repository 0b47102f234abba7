import React, { useState } from 'react';
import { Alert, Button, RadioButtonGroup, Stack } from '@grafana/ui';

import { PlatformLensApi } from '../../api/platformlens';
import { DemoResult, MigrateResult } from '../../api/types';
import { labels } from '../../labels';
import { selectors } from '../../selectors';
import { toError } from '../useAsync';

const L = labels.configuration;

type Outcome = { severity: 'success' | 'error'; text: string } | undefined;

export function describeMigration(r: MigrateResult): string {
  return L.migrated(r.applied?.length ?? 0, r.version ?? 0);
}

export function describeDemo(r: DemoResult): string {
  const perTable = r.rows ?? r.tables ?? {};
  const total = Object.values(perTable).reduce((a, b) => a + (Number(b) || 0), 0);
  return L.demoLoaded(total, r.seconds ?? 0);
}

/** Migrate and demo-data actions (Admin only: the backend checks the role too). */
export function AdminActions({ api, onDone }: { api: PlatformLensApi; onDone: () => void }) {
  const [busy, setBusy] = useState<'migrate' | 'demo' | undefined>();
  const [outcome, setOutcome] = useState<Outcome>();
  const [tier, setTier] = useState('S');

  const run = async (what: 'migrate' | 'demo') => {
    setBusy(what);
    setOutcome(undefined);
    try {
      const text = what === 'migrate' ? describeMigration(await api.migrate()) : describeDemo(await api.demo(tier, 1));
      setOutcome({ severity: 'success', text });
      onDone();
    } catch (err) {
      setOutcome({ severity: 'error', text: toError(err).message });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Stack direction="column" gap={2}>
      <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
        <Button
          data-testid={selectors.pages.migrate}
          icon={busy === 'migrate' ? 'spinner' : 'database'}
          disabled={busy !== undefined}
          onClick={() => run('migrate')}
        >
          {busy === 'migrate' ? L.migrating : L.migrate}
        </Button>
        <RadioButtonGroup
          aria-label={L.demoTier}
          options={Object.entries(L.demoTiers).map(([value, label]) => ({ value, label }))}
          value={tier}
          disabled={busy !== undefined}
          onChange={setTier}
        />
        <Button
          data-testid={selectors.pages.demo}
          variant="secondary"
          icon={busy === 'demo' ? 'spinner' : 'upload'}
          disabled={busy !== undefined}
          onClick={() => run('demo')}
        >
          {busy === 'demo' ? L.demoLoading : L.demo}
        </Button>
      </Stack>
      {outcome && <Alert severity={outcome.severity} title={outcome.text} />}
    </Stack>
  );
}
