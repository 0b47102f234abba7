import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { DataSourceSettings } from '@grafana/data';

import { selectors } from '../selectors';
import { ConfigEditor, SETTINGS_DEFAULTS } from './ConfigEditor';
import { PlatformLensOptions, PlatformLensSecureOptions } from './types';

function settings(
  jsonData: PlatformLensOptions,
  secureJsonFields: Record<string, boolean> = {}
): DataSourceSettings<PlatformLensOptions, PlatformLensSecureOptions> {
  return {
    id: 1,
    uid: 'platformlens',
    orgId: 1,
    name: 'PlatformLens',
    type: 'platformlens-analytics-datasource',
    typeName: 'PlatformLens',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    jsonData,
    secureJsonFields,
  };
}

describe('ConfigEditor', () => {
  it('writes the documented defaults into a new data source', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings({})} onOptionsChange={onOptionsChange} />);
    expect(onOptionsChange).toHaveBeenCalledWith(expect.objectContaining({ jsonData: SETTINGS_DEFAULTS }));
  });

  it('keeps the password in secureJsonData, never in jsonData', () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor options={settings({ ...SETTINGS_DEFAULTS, user: 'grafana' })} onOptionsChange={onOptionsChange} />
    );
    fireEvent.change(screen.getByTestId(selectors.config.password), { target: { value: 's3cret' } });
    const saved = onOptionsChange.mock.calls.at(-1)[0];
    expect(saved.secureJsonData).toEqual({ password: 's3cret' });
    expect(JSON.stringify(saved.jsonData)).not.toContain('s3cret');
  });

  it('stores numbers as numbers', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings({ ...SETTINGS_DEFAULTS })} onOptionsChange={onOptionsChange} />);
    fireEvent.change(screen.getByTestId(selectors.config.rowLimit), { target: { value: '5000' } });
    expect(onOptionsChange.mock.calls.at(-1)[0].jsonData.rowLimit).toBe(5000);
  });

  it('asks for the CA certificate only when the certificate is verified', () => {
    const { rerender } = render(
      <ConfigEditor options={settings({ ...SETTINGS_DEFAULTS, sslMode: 'require' })} onOptionsChange={jest.fn()} />
    );
    expect(screen.queryByTestId(selectors.config.caCert)).not.toBeInTheDocument();
    rerender(
      <ConfigEditor
        options={settings({ ...SETTINGS_DEFAULTS, sslMode: 'verify-full' }, { tlsCACert: true })}
        onOptionsChange={jest.fn()}
      />
    );
    expect(screen.getByText('CA certificate')).toBeInTheDocument();
  });
});
