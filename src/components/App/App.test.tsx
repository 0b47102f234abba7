import React from 'react';
import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { AppRootProps, PluginType } from '@grafana/data';

import { selectors } from '../../selectors';
import { fakeGrafana, resource } from '../../test/runtime';
import { App } from './App';

jest.mock('@grafana/runtime', () => require('../../test/runtime').runtimeMock());

const props = {
  basename: '/a/platformlens-analytics-app',
  meta: { id: 'platformlens-analytics-app', name: 'PlatformLens', type: PluginType.app, enabled: true, jsonData: {} },
  query: {},
  path: '',
  onNavChanged: jest.fn(),
} as unknown as AppRootProps;

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path="/a/platformlens-analytics-app/*" element={<App {...props} />} />
      </Routes>
    </MemoryRouter>
  );
}

beforeEach(() => {
  fakeGrafana.reset();
  fakeGrafana.routes[resource('status')] = { data: { tables: [], ingestErrors: [] } };
  fakeGrafana.routes[resource('catalog')] = { data: { metrics: [], dimensions: [] } };
});

describe('App routes', () => {
  it.each([
    ['/a/platformlens-analytics-app/data', selectors.pages.data],
    ['/a/platformlens-analytics-app/catalog', selectors.pages.catalog],
    ['/a/platformlens-analytics-app/configuration', selectors.pages.configuration],
    ['/a/platformlens-analytics-app/home', selectors.pages.home],
    ['/a/platformlens-analytics-app', selectors.pages.home],
    ['/a/platformlens-analytics-app/no-such-page', selectors.pages.home],
  ])('%s renders its page', async (path, testId) => {
    renderAt(path);
    expect(await screen.findByTestId(testId)).toBeInTheDocument();
  });
});
