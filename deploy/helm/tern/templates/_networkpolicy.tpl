{{/*
tern.networkPolicy: one component's NetworkPolicy (networkPolicy.*), selecting exactly that
component's pods. Ingress: the SMTP container ports (extra argument smtpPorts, a list of
ints; ingress only) from anywhere, and the HTTP port 8080 (admin API, metrics, health) only
from networkPolicy.httpFrom (an empty list closes it: an empty `from` would open it to all).
Egress: Kafka, Infinispan and DNS for every component, SMTP
for the components in networkPolicy.egress.smtp.components, the proxy listener's upstream port
(extra argument upstreamPort; ingress with ingress.listeners.proxy on), HTTP(S) to webhooks for
bounce (networkPolicy.egress.webhooks), plus networkPolicy.egress.extra.
Kubelet probes reach the pod from its node and are not subject to NetworkPolicies.
*/}}
{{- define "tern.networkPolicy" -}}
{{- $ctx := .ctx }}
{{- $np := $ctx.Values.networkPolicy }}
{{- if $np.enabled }}
{{- $e := $np.egress }}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "tern.componentName" . }}
  labels:
    {{- include "tern.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "tern.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress, Egress]
  {{- if or .smtpPorts $np.httpFrom }}
  ingress:
    {{- with .smtpPorts }}
    - ports:
        {{- range . }}
        - {port: {{ . }}, protocol: TCP}
        {{- end }}
    {{- end }}
    {{- with $np.httpFrom }}
    - ports:
        - {port: 8080, protocol: TCP}
      from:
        {{- toYaml . | nindent 8 }}
    {{- end }}
  {{- else }}
  # Nothing may connect: no SMTP listener here and networkPolicy.httpFrom is empty.
  ingress: []
  {{- end }}
  egress:
    {{- range $name := list "kafka" "infinispan" }}
    {{- $rule := get $e $name }}
    {{- /* A rule without ports would allow every port: skip it. */}}
    {{- if $rule.ports }}
    - ports:
        {{- range $rule.ports }}
        - {port: {{ . }}, protocol: TCP}
        {{- end }}
      {{- with $rule.to }}
      to:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
    {{- end }}
    {{- if $e.dns.ports }}
    - ports:
        {{- range $e.dns.ports }}
        - {port: {{ . }}, protocol: UDP}
        - {port: {{ . }}, protocol: TCP}
        {{- end }}
      {{- with $e.dns.to }}
      to:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
    {{- if and $e.smtp.ports (has .component $e.smtp.components) }}
    - ports:
        {{- range $e.smtp.ports }}
        - {port: {{ . }}, protocol: TCP}
        {{- end }}
    {{- end }}
    {{- with .upstreamPort }}
    - ports:
        - {port: {{ . }}, protocol: TCP}
    {{- end }}
    {{- if and $e.webhooks.ports (eq .component "bounce") }}
    - ports:
        {{- range $e.webhooks.ports }}
        - {port: {{ . }}, protocol: TCP}
        {{- end }}
      {{- with $e.webhooks.to }}
      to:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
    {{- with $e.extra }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end }}
{{- end }}
