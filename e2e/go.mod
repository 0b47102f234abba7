module github.com/platformlens/platformlens-analytics-app/e2e

go 1.26

require gopkg.in/yaml.v3 v3.0.1
