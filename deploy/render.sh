#!/usr/bin/env bash
# Regenerates what is derived from the chart and its sources, with the Helm embedded in
# helm-java (no helm binary needed):
#   - deploy/helm/tern/files/: copies of deploy/grafana/*.json and deploy/prometheus/tern-rules.yaml
#   - deploy/helm/tern/README.md: generated from Chart.yaml and the values.yaml "# --" comments
#   - deploy/kubernetes/: the chart rendered with default values
#     (helm template tern deploy/helm/tern), one file per component.
# The deploy module's tests fail while any of these is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f deploy/helm/tern/files/dashboards/*.json
cp deploy/grafana/*.json deploy/helm/tern/files/dashboards/
cp deploy/prometheus/tern-rules.yaml deploy/helm/tern/files/tern-rules.yaml
./mvnw -q -pl deploy test -Dtest=PlainManifestsTest,ChartReadmeTest -Dtern.deploy.regenerate=true "$@"
echo "regenerated deploy/kubernetes/ and deploy/helm/tern/files/"
