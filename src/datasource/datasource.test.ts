import { ScopedVars } from '@grafana/data';

import { catalog, instanceSettings } from '../test/fixtures';
import { fakeTemplateSrv } from '../test/templateSrv';
import { DataSource, toFindValues } from './datasource';
import { PlatformLensQuery } from './types';

const vars = { stack: ['java', 'go'], team: 'payments', empty: [] as string[], metric: 'dx_score' };

function newDatasource() {
  return new DataSource(instanceSettings, fakeTemplateSrv(vars));
}

describe('applyTemplateVariables', () => {
  it('expands a multi-value variable into one array element per value', () => {
    const ds = newDatasource();
    const q = ds.applyTemplateVariables({ refId: 'A', metric: 'builds', filters: { tech_stack: ['$stack'] } }, {});
    expect(q.filters).toEqual({ tech_stack: ['java', 'go'] });
  });

  it('keeps single values and literals, removes duplicates, and interpolates names', () => {
    const ds = newDatasource();
    const q = ds.applyTemplateVariables(
      { refId: 'A', metric: '$metric', groupBy: '${team}', filters: { team: ['${team}', 'payments', 'search'] } },
      {}
    );
    expect(q.metric).toBe('dx_score');
    expect(q.groupBy).toBe('payments');
    expect(q.filters).toEqual({ team: ['payments', 'search'] });
  });

  it('interpolates the funnel breakdown key like the other names', () => {
    const ds = new DataSource(instanceSettings, fakeTemplateSrv({ ...vars, prop: 'plan' }));
    const q = ds.applyTemplateVariables(
      { refId: 'A', metric: 'funnel_steps', funnel: 'onboarding', breakdown: '$prop' },
      { prop: { text: 'tech_stack', value: 'tech_stack' } }
    );
    expect(q.breakdown).toBe('tech_stack');
    expect(ds.applyTemplateVariables({ refId: 'A', metric: 'funnel_steps', breakdown: '${prop}' }, {}).breakdown).toBe(
      'plan'
    );
    expect(ds.applyTemplateVariables({ refId: 'A', metric: 'funnel_steps' }, {}).breakdown).toBeUndefined();
  });

  it('drops a filter whose variable has no value instead of matching nothing', () => {
    const ds = newDatasource();
    const q = ds.applyTemplateVariables(
      { refId: 'A', metric: 'builds', filters: { team: ['$empty'], tech_stack: ['go'] } },
      {}
    );
    expect(q.filters).toEqual({ tech_stack: ['go'] });
  });

  it('lets scoped variables (repeated panels) win over dashboard variables', () => {
    const ds = newDatasource();
    const scoped: ScopedVars = { stack: { text: 'rust', value: 'rust' } };
    const q = ds.applyTemplateVariables({ refId: 'A', metric: 'builds', filters: { tech_stack: ['$stack'] } }, scoped);
    expect(q.filters).toEqual({ tech_stack: ['rust'] });
  });

  it('adds ad hoc filters after the query’s own ones, unchanged', () => {
    const ds = newDatasource();
    const query: PlatformLensQuery = {
      refId: 'A',
      metric: 'builds',
      adhocFilters: [{ key: 'environment', operator: '=', value: 'prod' }],
    };
    const q = ds.applyTemplateVariables(query, {}, [
      { key: 'team', operator: '!=', value: "x' OR 1=1 --" },
      { key: 'tech_stack', operator: '=', value: 'java' },
    ]);
    expect(q.adhocFilters).toEqual([
      { key: 'environment', operator: '=', value: 'prod' },
      { key: 'team', operator: '!=', value: "x' OR 1=1 --" },
      { key: 'tech_stack', operator: '=', value: 'java' },
    ]);
    expect(query.adhocFilters).toHaveLength(1);
  });

  it('quotes variables in raw SQL as SQL strings', () => {
    const ds = newDatasource();
    const q = ds.applyTemplateVariables(
      {
        refId: 'A',
        queryType: 'sql',
        rawSql: 'SELECT 1 FROM builds WHERE tech_stack IN ($stack) AND $__timeFilter(finished_at)',
      },
      {}
    );
    expect(q.rawSql).toBe("SELECT 1 FROM builds WHERE tech_stack IN ('java','go') AND $__timeFilter(finished_at)");
  });
});

describe('filterQuery', () => {
  const ds = newDatasource();
  it.each<[string, PlatformLensQuery, boolean]>([
    ['metric query with a metric', { refId: 'A', metric: 'builds' }, true],
    ['metric query without a metric', { refId: 'A', queryType: 'metric' }, false],
    ['blank metric', { refId: 'A', metric: '  ' }, false],
    ['hidden query', { refId: 'A', metric: 'builds', hide: true }, false],
    ['sql query with SQL', { refId: 'A', queryType: 'sql', rawSql: 'SELECT 1' }, true],
    ['sql query without SQL', { refId: 'A', queryType: 'sql', rawSql: ' ', metric: 'builds' }, false],
    ['annotation query', { refId: 'A', queryType: 'annotations', kind: 'incidents' }, true],
    [
      'anomaly annotation query',
      { refId: 'A', queryType: 'annotations', kind: 'anomalies', baseMetric: 'builds' },
      true,
    ],
  ])('%s', (_, query, expected) => {
    expect(ds.filterQuery(query)).toBe(expected);
  });
});

describe('resources', () => {
  it('fetches the catalog once and retries after a failure', async () => {
    const ds = newDatasource();
    const getResource = jest
      .spyOn(ds, 'getResource')
      .mockRejectedValueOnce(new Error('database unreachable'))
      .mockResolvedValue(catalog);
    await expect(ds.getCatalog()).rejects.toThrow('database unreachable');
    await expect(ds.getCatalog()).resolves.toEqual(catalog);
    await ds.getCatalog();
    expect(getResource).toHaveBeenCalledTimes(2);
    expect(getResource).toHaveBeenCalledWith('catalog');
  });

  it('lists variable values narrowed by other variables', async () => {
    const ds = newDatasource();
    const getResource = jest.spyOn(ds, 'getResource').mockResolvedValue([{ value: 'payments', text: 'Payments' }]);
    const values = await ds.metricFindQuery({
      refId: 'v',
      dimension: 'team',
      filters: { tech_stack: '$stack', team: '$empty' },
    });
    expect(getResource).toHaveBeenCalledWith('variables/team', { tech_stack: ['java', 'go'] });
    expect(values).toEqual([{ value: 'payments', text: 'Payments' }]);
  });

  it('accepts a plain dimension name as a variable query', async () => {
    const ds = newDatasource();
    const getResource = jest.spyOn(ds, 'getResource').mockResolvedValue(['java']);
    await expect(ds.metricFindQuery('tech_stack')).resolves.toEqual([{ text: 'java', value: 'java' }]);
    expect(getResource).toHaveBeenCalledWith('variables/tech_stack', {});
  });

  it('asks tag keys for the metric of the panel and tag values with the other equality filters', async () => {
    const ds = newDatasource();
    const getResource = jest.spyOn(ds, 'getResource').mockResolvedValue([{ value: 'team', text: 'Team' }]);
    await ds.getTagKeys({ queries: [{ refId: 'A', metric: 'builds' }] });
    expect(getResource).toHaveBeenLastCalledWith('tag-keys', { metric: 'builds' });
    await ds.getTagValues({
      key: 'team',
      filters: [
        { key: 'tech_stack', operator: '=', value: 'go' },
        { key: 'tech_stack', operator: '=', value: 'java' },
        { key: 'environment', operator: '!=', value: 'dev' },
      ],
    });
    expect(getResource).toHaveBeenLastCalledWith('tag-values', { key: 'team', tech_stack: ['go', 'java'] });
  });

  it('normalises value lists', () => {
    expect(toFindValues([{ value: 'go', text: '' }, 'rust'])).toEqual([
      { value: 'go', text: 'go' },
      { value: 'rust', text: 'rust' },
    ]);
    expect(toFindValues({ error: 'x' })).toEqual([]);
  });
});
