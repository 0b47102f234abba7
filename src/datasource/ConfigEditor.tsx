import React, { ChangeEvent, useEffect } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { ConfigSection, DataSourceDescription } from '@grafana/plugin-ui';
import { Combobox, Divider, Field, Input, LinkButton, SecretInput, SecretTextArea, Stack, Text } from '@grafana/ui';

import { prefixRoute, ROUTES } from '../constants';

import { labels } from '../labels';
import { selectors } from '../selectors';
import { PlatformLensOptions, PlatformLensSecureOptions, SslMode } from './types';

type Props = DataSourcePluginOptionsEditorProps<PlatformLensOptions, PlatformLensSecureOptions>;

/** Defaults of docs/architecture.md ("Datasource settings"); the backend applies the same ones. */
export const SETTINGS_DEFAULTS: Required<
  Pick<
    PlatformLensOptions,
    'host' | 'port' | 'database' | 'schema' | 'sslMode' | 'maxConns' | 'statementTimeoutSeconds' | 'rowLimit'
  >
> = {
  host: 'localhost',
  port: 5432,
  database: 'platformlens',
  schema: 'platformlens',
  sslMode: 'require',
  maxConns: 10,
  statementTimeoutSeconds: 30,
  rowLimit: 100000,
};

const L = labels.config;
const SSL_MODES = (Object.keys(L.sslModes) as SslMode[]).map((m) => ({
  value: m,
  label: L.sslModes[m],
}));
const WIDTH = 40;

type TextKey = 'host' | 'database' | 'user' | 'schema';
type NumberKey = 'port' | 'maxConns' | 'statementTimeoutSeconds' | 'rowLimit';

// The pool and query limits: the same positive-number input each.
const LIMIT_FIELDS: Array<{
  key: NumberKey;
  text: { label: string; description: string };
  id: string;
  testId: string;
}> = [
  { key: 'maxConns', text: L.maxConns, id: 'platformlens-maxconns', testId: selectors.config.maxConns },
  {
    key: 'statementTimeoutSeconds',
    text: L.statementTimeout,
    id: 'platformlens-timeout',
    testId: selectors.config.statementTimeout,
  },
  { key: 'rowLimit', text: L.rowLimit, id: 'platformlens-rowlimit', testId: selectors.config.rowLimit },
];

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const jsonData = options.jsonData;
  const secureFields = options.secureJsonFields ?? {};
  const secure = options.secureJsonData ?? {};

  // A new data source starts with the documented defaults written into jsonData, so what the
  // form shows is what is saved (and what the backend uses).
  const missingDefaults = (Object.keys(SETTINGS_DEFAULTS) as Array<keyof typeof SETTINGS_DEFAULTS>).some(
    (k) => jsonData[k] === undefined
  );
  useEffect(() => {
    if (missingDefaults) {
      onOptionsChange({ ...options, jsonData: { ...SETTINGS_DEFAULTS, ...options.jsonData } });
    }
    // Only the first render of a data source without settings needs this.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [missingDefaults]);

  const setJson = (patch: Partial<PlatformLensOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const onText = (key: TextKey) => (e: ChangeEvent<HTMLInputElement>) => setJson({ [key]: e.currentTarget.value });
  const onNumber = (key: NumberKey) => (e: ChangeEvent<HTMLInputElement>) => {
    const raw = e.currentTarget.value;
    const n = Number(raw);
    setJson({ [key]: raw === '' || !Number.isFinite(n) ? undefined : n });
  };
  const setSecure = (key: keyof PlatformLensSecureOptions, value: string) =>
    onOptionsChange({ ...options, secureJsonData: { ...secure, [key]: value } });
  const resetSecure = (key: keyof PlatformLensSecureOptions) =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureFields, [key]: false },
      secureJsonData: { ...secure, [key]: '' },
    });

  const verifies = jsonData.sslMode === 'verify-ca' || jsonData.sslMode === 'verify-full';

  return (
    <>
      <DataSourceDescription dataSourceName="PlatformLens" docsLink={L.docsLink} hasRequiredFields />
      <Divider />
      <ConfigSection title={L.connection} description={L.connectionDescription}>
        <Field label={L.host.label} description={L.host.description} required>
          <Input
            id="platformlens-host"
            data-testid={selectors.config.host}
            width={WIDTH}
            value={jsonData.host ?? ''}
            placeholder={L.host.placeholder}
            onChange={onText('host')}
          />
        </Field>
        <Field label={L.port.label} description={L.port.description}>
          <Input
            id="platformlens-port"
            data-testid={selectors.config.port}
            type="number"
            width={WIDTH}
            value={jsonData.port ?? ''}
            placeholder={L.port.placeholder}
            onChange={onNumber('port')}
          />
        </Field>
        <Field label={L.database.label} description={L.database.description} required>
          <Input
            id="platformlens-database"
            data-testid={selectors.config.database}
            width={WIDTH}
            value={jsonData.database ?? ''}
            placeholder={L.database.placeholder}
            onChange={onText('database')}
          />
        </Field>
        <Field label={L.user.label} description={L.user.description} required>
          <Input
            id="platformlens-user"
            data-testid={selectors.config.user}
            width={WIDTH}
            value={jsonData.user ?? ''}
            onChange={onText('user')}
          />
        </Field>
        <Field label={L.password.label} description={L.password.description}>
          <SecretInput
            id="platformlens-password"
            data-testid={selectors.config.password}
            width={WIDTH}
            isConfigured={Boolean(secureFields.password)}
            value={secure.password ?? ''}
            onChange={(e) => setSecure('password', e.currentTarget.value)}
            onReset={() => resetSecure('password')}
          />
        </Field>
        <Field label={L.schema.label} description={L.schema.description}>
          <Input
            id="platformlens-schema"
            data-testid={selectors.config.schema}
            width={WIDTH}
            value={jsonData.schema ?? ''}
            placeholder={L.schema.placeholder}
            onChange={onText('schema')}
          />
        </Field>
      </ConfigSection>
      <Divider />
      <ConfigSection title={L.tls} description={L.tlsDescription} isCollapsible isInitiallyOpen>
        <Field label={L.sslMode.label} description={L.sslMode.description}>
          <Combobox
            id="platformlens-sslmode"
            data-testid={selectors.config.sslMode}
            width={WIDTH}
            options={SSL_MODES}
            value={jsonData.sslMode ?? SETTINGS_DEFAULTS.sslMode}
            onChange={(v) => setJson({ sslMode: v.value })}
          />
        </Field>
        {verifies && (
          <Field label={L.caCert.label} description={L.caCert.description}>
            <SecretTextArea
              data-testid={selectors.config.caCert}
              cols={60}
              rows={6}
              placeholder={L.caCert.placeholder}
              isConfigured={Boolean(secureFields.tlsCACert)}
              value={secure.tlsCACert ?? ''}
              onChange={(e) => setSecure('tlsCACert', e.currentTarget.value)}
              onReset={() => resetSecure('tlsCACert')}
            />
          </Field>
        )}
      </ConfigSection>
      <Divider />
      <ConfigSection title={L.limits} description={L.limitsDescription} isCollapsible isInitiallyOpen>
        {LIMIT_FIELDS.map(({ key, text, id, testId }) => (
          <Field key={key} label={text.label} description={text.description}>
            <Input
              id={id}
              data-testid={testId}
              type="number"
              min={1}
              width={WIDTH}
              value={jsonData[key] ?? ''}
              onChange={onNumber(key)}
            />
          </Field>
        ))}
      </ConfigSection>
      <Divider />
      <ConfigSection title={L.store.title} description={L.store.description}>
        <Stack direction="column" gap={1} alignItems="flex-start">
          <Text color="secondary">{L.store.modes}</Text>
          <Text color="secondary">{L.store.migration}</Text>
          <LinkButton variant="secondary" icon="cog" href={prefixRoute(ROUTES.Configuration)}>
            {L.store.open}
          </LinkButton>
        </Stack>
      </ConfigSection>
    </>
  );
}
