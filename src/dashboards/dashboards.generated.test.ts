import { readFileSync } from 'fs';
import { join } from 'path';

import { generatedDashboards } from './index';

// The committed dashboards/*.json must hold exactly what the code generates: edit the code in
// src/dashboards/ and run `npm run dashboards`, never the JSON by hand. (Compared as JSON values:
// the files' layout is prettier's, which `npm run dashboards` applies.)
describe('generated dashboards', () => {
  it.each(Object.keys(generatedDashboards))('dashboards/%s is up to date', (file) => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'dashboards', file), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(generatedDashboards[file])));
  });

  it('keeps uids unique and panel ids unique per dashboard', () => {
    const uids = Object.values(generatedDashboards).map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const d of Object.values(generatedDashboards)) {
      const ids = (d.panels ?? []).map((p) => ('id' in p ? p.id : undefined));
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
