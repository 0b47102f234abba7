// Package protocoltest proves that the built backend executable speaks Grafana's plugin protocol.
//
// Its test starts dist/datasource/gpx_platformlens_<os>_<arch> exactly the way Grafana does:
// hashicorp/go-plugin with the SDK's handshake (magic cookie grafana_plugin_type=datasource,
// protocol version 2) over gRPC, then talks to it with the generated pluginv2 clients. Build the
// executable first (`go run github.com/magefile/mage -v build:linux`); without it the test skips
// locally and fails when CI=true, so CI cannot pass without the proof.
package protocoltest
