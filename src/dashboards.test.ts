import fs from 'fs';
import path from 'path';

import pluginJson from './plugin.json';

/*
 * Static checks of the shipped dashboards (repository folder dashboards/, copied into dist/ by
 * webpack.config.ts). That every panel's query returns data on the demo set is checked by
 * dashboards/panels_test.go against the real engine.
 */

const DATASOURCE_TYPE = 'platformlens-analytics-datasource';
const DIR = path.resolve(__dirname, '..', 'dashboards');
// The e2e helper dashboard is provisioned for the API tests only; it is not part of the app.
const NOT_SHIPPED = new Set(['smoke.json']);

interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Array<{ refId?: string; datasource?: { type?: string; uid?: string } }>;
  panels?: Panel[];
}

interface Variable {
  type: string;
  name: string;
  query?: unknown;
  multi?: boolean;
  includeAll?: boolean;
  datasource?: { type?: string; uid?: string };
}

interface Dashboard {
  uid: string;
  title: string;
  tags: string[];
  panels: Panel[];
  templating: { list: Variable[] };
  annotations?: { list: Array<{ datasource?: { type?: string; uid?: string } }> };
}

const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && !NOT_SHIPPED.has(f))
  .sort();

function load(file: string): Dashboard {
  return JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
}

/** Panels including the panels kept inside collapsed rows. */
function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

const usesDs = (ds?: { type?: string; uid?: string }) => ds?.type === DATASOURCE_TYPE && ds?.uid === '${ds}';

describe('shipped dashboards', () => {
  it('exist', () => {
    expect(files).toEqual(expect.arrayContaining(['executive.json', 'operations.json', 'funnels.json']));
  });

  it('have unique uids', () => {
    const uids = files.map((f) => load(f).uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('are all registered in src/plugin.json includes', () => {
    const included = pluginJson.includes
      .filter((i) => i.type === 'dashboard')
      .map((i) => (i as { path?: string }).path);
    for (const f of files) {
      expect(included).toContain(`dashboards/${f}`);
    }
    // …and every registered dashboard exists.
    for (const p of included) {
      expect(fs.existsSync(path.join(DIR, path.basename(p ?? '')))).toBe(true);
    }
  });

  describe.each(files)('%s', (file) => {
    const dash = load(file);
    const vars = dash.templating.list;
    const variable = (name: string) => vars.find((v) => v.name === name);

    it('has uid, title and the platformlens tag', () => {
      expect(dash.uid).toMatch(/^platformlens-[a-z-]+$/);
      expect(dash.title).toBeTruthy();
      expect(dash.tags).toContain('platformlens');
    });

    it('has the datasource variable ds', () => {
      expect(variable('ds')).toMatchObject({ type: 'datasource', query: DATASOURCE_TYPE });
    });

    // The Team dashboard shows one team (or All) and its services instead of environments.
    const dimensionVars: Array<[string, boolean]> =
      file === 'team.json'
        ? [
            ['tech_stack', true],
            ['team', false],
            ['service', true],
          ]
        : [
            ['tech_stack', true],
            ['team', true],
            ['environment', true],
          ];
    it.each(dimensionVars)('has the %s variable with All (multi-value: %s)', (name, multi) => {
      const v = variable(name);
      expect(v).toMatchObject({ type: 'query', multi, includeAll: true, query: { dimension: name } });
      expect(usesDs(v?.datasource)).toBe(true);
    });

    it('narrows team by tech_stack', () => {
      expect(variable('team')?.query).toMatchObject({ filters: { tech_stack: '$tech_stack' } });
    });

    it('has an ad hoc filters variable', () => {
      const adhoc = vars.find((v) => v.type === 'adhoc');
      expect(adhoc).toBeDefined();
      expect(usesDs(adhoc?.datasource)).toBe(true);
    });

    it('gives every panel a description and the ${ds} datasource on panel and targets', () => {
      const panels = allPanels(dash.panels).filter((p) => p.type !== 'row');
      expect(panels.length).toBeGreaterThan(0);
      for (const p of panels) {
        expect({ panel: p.title, description: (p.description ?? '').length > 20 }).toEqual({
          panel: p.title,
          description: true,
        });
        expect({ panel: p.title, ds: usesDs(p.datasource) }).toEqual({ panel: p.title, ds: true });
        expect(p.targets?.length ?? 0).toBeGreaterThan(0);
        for (const t of p.targets ?? []) {
          expect({ panel: p.title, refId: t.refId, ds: usesDs(t.datasource) }).toEqual({
            panel: p.title,
            refId: t.refId,
            ds: true,
          });
        }
      }
    });

    it('has unique panel ids', () => {
      const ids = allPanels(dash.panels).map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('points annotation queries of the plugin at ${ds}', () => {
      const ours = (dash.annotations?.list ?? []).filter((a) => a.datasource?.type === DATASOURCE_TYPE);
      for (const a of ours) {
        expect(a.datasource?.uid).toBe('${ds}');
      }
    });
  });
});
