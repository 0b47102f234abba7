// Command gpx_platformlens is the backend of the PlatformLens datasource. Grafana starts it as a
// plugin process; all it does is hand the instance factory to the SDK.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	pldatasource "github.com/platformlens/platformlens-analytics-app/pkg/datasource"
)

func main() {
	if err := datasource.Manage(pldatasource.PluginID, pldatasource.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("PlatformLens datasource stopped", "error", err)
		os.Exit(1)
	}
}
