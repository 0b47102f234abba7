import React, { Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AppRootProps } from '@grafana/data';

import { prefixRoute, ROUTES } from '../../constants';
import { Loading } from '../shared/PageState';

const Home = React.lazy(() => import('../../pages/Home'));
const Configuration = React.lazy(() => import('../../pages/Configuration'));
const Catalog = React.lazy(() => import('../../pages/Catalog'));
const Data = React.lazy(() => import('../../pages/Data'));

/** Routes of the app, relative to /a/platformlens-analytics-app (one per page include). */
export function App(_: AppRootProps) {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path={ROUTES.Home} element={<Home />} />
        <Route path={ROUTES.Configuration} element={<Configuration />} />
        <Route path={ROUTES.Catalog} element={<Catalog />} />
        <Route path={ROUTES.Data} element={<Data />} />
        {/* Anything else (the app root, an old link) lands on Home. */}
        <Route path="*" element={<Navigate to={prefixRoute(ROUTES.Home)} replace />} />
      </Routes>
    </Suspense>
  );
}

export default App;
