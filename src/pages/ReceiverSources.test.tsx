import React from 'react';
import { render, screen, within } from '@testing-library/react';

import { PlatformLensApi } from '../api/platformlens';
import { fakeGrafana, resource } from '../test/runtime';
import { instanceSettings } from '../test/fixtures';
import { ReceiverSources } from './ReceiverSources';

jest.mock('@grafana/runtime', () => require('../test/runtime').runtimeMock());

beforeEach(() => fakeGrafana.reset());

const api = new PlatformLensApi(instanceSettings);

describe('ReceiverSources', () => {
  it('shows each source with its last event and counts, and the unmapped names', async () => {
    fakeGrafana.routes[resource('sources')] = {
      data: {
        installed: true,
        sources: [
          {
            source: 'github',
            table: 'builds',
            received: 3,
            stored: 2,
            duplicates: 1,
            rejected: 0,
            ignored: 0,
            signatureFailures: 0,
            malformed: 0,
            lastEventAt: '2026-11-20T08:07:30Z',
            lastReceivedAt: '2026-11-20T08:07:31Z',
          },
          {
            source: 'github',
            table: '',
            received: 4,
            stored: 0,
            duplicates: 0,
            rejected: 0,
            ignored: 4,
            signatureFailures: 2,
            malformed: 1,
            lastEventAt: null,
            lastReceivedAt: '2026-11-20T08:09:00Z',
          },
        ],
        unmapped: [
          {
            source: 'gitlab',
            name: 'gitlab-org/gitlab-test',
            events: 6,
            firstSeen: '2026-11-20T10:00:00Z',
            lastSeen: '2026-11-20T11:00:00Z',
          },
        ],
      },
    };
    render(<ReceiverSources api={api} />);
    const rows = await screen.findAllByTestId('data-testid platformlens-receiver-source');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('builds')).toBeInTheDocument();
    expect(within(rows[0]).getByText('2')).toBeInTheDocument();
    expect(within(rows[1]).getByText('never')).toBeInTheDocument();
    expect(within(rows[1]).getByText('3')).toBeInTheDocument(); // refused: 2 signatures + 1 malformed
    const unmapped = screen.getByTestId('data-testid platformlens-receiver-unmapped');
    expect(within(unmapped).getByText('gitlab-org/gitlab-test')).toBeInTheDocument();
  });

  it('says what to do when nothing arrived yet or the schema is old', async () => {
    fakeGrafana.routes[resource('sources')] = { data: { installed: true, sources: [], unmapped: [] } };
    const { unmount } = render(<ReceiverSources api={api} />);
    expect(await screen.findByText(/Nothing received yet/)).toBeInTheDocument();
    unmount();
    fakeGrafana.routes[resource('sources')] = { data: { installed: false, sources: [], unmapped: [] } };
    render(<ReceiverSources api={api} />);
    expect(await screen.findByText(/run the migration/)).toBeInTheDocument();
  });
});
