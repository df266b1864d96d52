{{/*
Naming and labelling helpers shared by every template. Kubernetes limits names and
label values to 63 characters, so every name is cut there (and a trailing "-" dropped).
*/}}

{{/*
tern.name: the chart name, or .Values.nameOverride. Becomes app.kubernetes.io/name.
*/}}
{{- define "tern.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
tern.fullname: prefix of every resource name. .Values.fullnameOverride if set; else the
release name, followed by the chart name unless the release name already contains it
(release "tern" gives "tern", release "mail" gives "mail-tern").
*/}}
{{- define "tern.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
tern.componentName: name of one component's resources, "<fullname>-<component>". When that
exceeds 63 characters the full name is cut, not the suffix, so "-ingress" and
"-ingress-http" stay distinct. Call with (dict "ctx" $ "component" "ingress").
*/}}
{{- define "tern.componentName" -}}
{{- $prefix := include "tern.fullname" .ctx | trunc (int (sub 62 (len .component))) | trimSuffix "-" }}
{{- printf "%s-%s" $prefix .component }}
{{- end }}

{{/*
tern.chart: "<chart>-<version>" for the helm.sh/chart label.
*/}}
{{- define "tern.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
tern.selectorLabels: the labels that identify this release's pods. They go into
Deployment selectors, which are immutable, so they never include the version. Call
with the root context, or with (dict "ctx" $ "component" "ingress") to add
app.kubernetes.io/component.
*/}}
{{- define "tern.selectorLabels" -}}
{{- $ctx := .ctx | default . -}}
app.kubernetes.io/name: {{ include "tern.name" $ctx }}
app.kubernetes.io/instance: {{ $ctx.Release.Name | trunc 63 | trimSuffix "-" }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end }}

{{/*
tern.labels: the full label set of every resource: selector labels plus chart, version,
manager, part-of and .Values.commonLabels. Same arguments as tern.selectorLabels.
*/}}
{{- define "tern.labels" -}}
{{- $ctx := .ctx | default . -}}
helm.sh/chart: {{ include "tern.chart" $ctx }}
{{ include "tern.selectorLabels" . }}
app.kubernetes.io/version: {{ $ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $ctx.Release.Service }}
app.kubernetes.io/part-of: tern
{{- with $ctx.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
tern.serviceAccountName: the ServiceAccount every pod runs as.
*/}}
{{- define "tern.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tern.fullname" .) .Values.serviceAccount.name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
tern.image: "<registry>/<repository>:<tag>" for one component, each part falling back to
.Values.image and the tag to the chart's appVersion. Call with (dict "ctx" $ "image" .Values.ingress.image).
*/}}
{{- define "tern.image" -}}
{{- $registry := .image.registry | default .ctx.Values.image.registry }}
{{- $tag := .image.tag | default .ctx.Values.image.tag | default .ctx.Chart.AppVersion }}
{{- if $registry }}
{{- printf "%s/%s:%s" (trimSuffix "/" $registry) .image.repository $tag }}
{{- else }}
{{- printf "%s:%s" .image.repository $tag }}
{{- end }}
{{- end }}

{{/*
tern.policyPath, tern.usersPath, tern.tlsPath: where the projected config volume puts
the policy file, the htpasswd file and the ingress certificate (see tern.deployment).
*/}}
{{- define "tern.policyPath" -}}/etc/tern/policy.yaml{{- end }}
{{- define "tern.usersPath" -}}/etc/tern/users.htpasswd{{- end }}
{{- define "tern.tlsPath" -}}/etc/tern/tls{{- end }}

{{/*
tern.usersSecretName: the Secret holding the htpasswd file, or "" when AUTH has no users.
*/}}
{{- define "tern.usersSecretName" -}}
{{- if .Values.users.existingSecret }}
{{- .Values.users.existingSecret }}
{{- else if .Values.users.htpasswd }}
{{- include "tern.componentName" (dict "ctx" . "component" "users") }}
{{- end }}
{{- end }}

{{/*
tern.policy: the policy file as YAML: .Values.policy, with relay.users-file pointing at
the mounted htpasswd file when a users Secret is configured.
*/}}
{{- define "tern.policy" -}}
{{- $policy := deepCopy .Values.policy }}
{{- if include "tern.usersSecretName" . }}
{{- $relay := get $policy "relay" | default dict }}
{{- $_ := set $relay "users-file" (include "tern.usersPath" .) }}
{{- $_ := set $policy "relay" $relay }}
{{- end }}
{{- toYaml $policy }}
{{- end }}

{{/*
tern.topics: the Kafka topic names, one per line, in the order of docs/ARCHITECTURE.md, "Topics and records", with one retry
topic per rung of .Values.policy.retry (tern.retry.1m, ...).
*/}}
{{- define "tern.topics" -}}
tern.inbound
{{- range .Values.policy.retry }}
tern.retry.{{ . }}
{{- end }}
tern.failed
tern.events
tern.control
tern.quarantine
tern.feedback
{{- end }}
