import React from 'react';
import { render, screen } from '@testing-library/react';

import { selectors } from '../selectors';
import generatedCatalog from '../test/catalog.generated.json';
import generatedFrames from '../test/frames.generated.json';
import { instanceSettings } from '../test/fixtures';
import { fakeTemplateSrv } from '../test/templateSrv';
import { DataSource } from './datasource';
import { QueryEditor } from './QueryEditor';
import { Catalog, PlatformLensQuery } from './types';

// Both fixtures are written by the Go tests from the real backend
// (go test ./pkg/metrics -run 'TestCatalogFixture|TestFramesFixture' -update): the catalog GET
// /catalog serves, and saved queries without options with the options the backend computed them
// with after applying its defaults.
const catalog = generatedCatalog as Catalog;
type Sample = { query: PlatformLensQuery; effective: { stat?: string; horizon?: number; sensitivity?: number } };
const samples = generatedFrames as unknown as Record<string, Sample>;

function renderSaved(query: PlatformLensQuery) {
  const ds = new DataSource(instanceSettings, fakeTemplateSrv({}));
  jest.spyOn(ds, 'getResource').mockImplementation(async (path: string) => (path === 'catalog' ? catalog : []));
  render(<QueryEditor datasource={ds} query={query} onChange={jest.fn()} onRunQuery={jest.fn()} />);
}

// An option the saved query leaves unset shows what the backend will use: the control's value
// when one is set, else its placeholder ("default: p50").
async function shownIn(testId: string): Promise<string> {
  const el = await screen.findByTestId(testId);
  const control = el instanceof HTMLInputElement ? el : (el.querySelector('input') ?? el);
  const value = control instanceof HTMLInputElement ? control.value : '';
  return value || control.getAttribute('placeholder') || (el.textContent ?? '');
}

describe("editor for a saved query with no options shows the backend's defaults", () => {
  it('shows the statistic the backend computed a saved build_duration query with', async () => {
    const s = samples.buildDurationNoOptions;
    expect(s.query.stat).toBeUndefined();
    expect(s.effective.stat).toBe('p50');
    renderSaved({ ...s.query, refId: 'A' });
    expect(await shownIn(selectors.query.stat)).toContain('p50');
    expect(await shownIn(selectors.query.stat)).not.toContain('p95');
  });

  it('shows the horizon and statistic the backend computed a saved forecast with', async () => {
    const s = samples.forecastNoOptions;
    expect(s.query.horizon).toBeUndefined();
    renderSaved({ ...s.query, refId: 'A' });
    expect(await shownIn(selectors.query.horizon)).toMatch(new RegExp(`\\b${s.effective.horizon}\\b`));
  });

  it('shows the sensitivity the backend computed saved anomalies with', async () => {
    const s = samples.anomaliesNoOptions;
    expect(s.query.sensitivity).toBeUndefined();
    renderSaved({ ...s.query, refId: 'A' });
    expect(await shownIn(selectors.query.sensitivity)).toMatch(new RegExp(`\\b${s.effective.sensitivity}\\b`));
  });
});
