{{/*
Workload partials: the Deployment, HorizontalPodAutoscaler, PodDisruptionBudget and admin
HTTP Service that ingress, delivery and bounce share. Each takes
  (dict "ctx" $ "component" "<name>" "values" .Values.<name> ...)
so a component template states only what is its own (ports, env, lifecycle).
*/}}

{{/*
tern.deployment: one service's Deployment. Extra arguments:
  ports     - YAML list of container ports besides http 8080 (string, optional)
  env       - YAML list of component env vars (string, optional)
  volumes   - list of extra projected-volume sources (string, optional)
  lifecycle - YAML container lifecycle (string, optional)
Every pod runs non-root with a read-only root filesystem; /tmp is an emptyDir. The
policy ConfigMap (and the users and TLS Secrets) are one projected volume at /etc/tern,
mounted without subPath so a ConfigMap change reaches the pod and is reloaded live. DKIM keys
(dkim.existingSecret) are mounted at /etc/tern-dkim in every pod: every service reads the one
policy file, and with it the keys it names. The Secrets of _security.tpl (Kafka and Infinispan
credentials, admin tokens, smarthost passwords) follow the same rule.
*/}}
{{- define "tern.deployment" -}}
{{- $ctx := .ctx }}
{{- $v := .values }}
{{- $name := include "tern.componentName" . }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "tern.labels" . | nindent 4 }}
spec:
  {{- if not (or (dig "autoscaling" "enabled" false $v) (dig "keda" "enabled" false $v)) }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  selector:
    matchLabels:
      {{- include "tern.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "tern.labels" . | nindent 8 }}
      {{- with $v.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "tern.serviceAccountName" $ctx }}
      automountServiceAccountToken: {{ $ctx.Values.serviceAccount.automountServiceAccountToken }}
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      {{- with $ctx.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $ctx.Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .component }}
          image: {{ include "tern.image" (dict "ctx" $ctx "image" $v.image) | quote }}
          imagePullPolicy: {{ $ctx.Values.image.pullPolicy }}
          securityContext:
            {{- toYaml $ctx.Values.securityContext | nindent 12 }}
          ports:
            {{- with .ports }}
            {{- . | nindent 12 }}
            {{- end }}
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
            {{- include "tern.env" $ctx | nindent 12 }}
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- with $ctx.Values.extraEnvFrom }}
          envFrom:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          startupProbe:
            httpGet:
              path: /q/health/live
              port: http
            periodSeconds: {{ $ctx.Values.probes.startup.periodSeconds }}
            failureThreshold: {{ $ctx.Values.probes.startup.failureThreshold }}
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: http
            periodSeconds: {{ $ctx.Values.probes.readiness.periodSeconds }}
            failureThreshold: {{ $ctx.Values.probes.readiness.failureThreshold }}
            timeoutSeconds: {{ $ctx.Values.probes.readiness.timeoutSeconds }}
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: http
            periodSeconds: {{ $ctx.Values.probes.liveness.periodSeconds }}
            failureThreshold: {{ $ctx.Values.probes.liveness.failureThreshold }}
            timeoutSeconds: {{ $ctx.Values.probes.liveness.timeoutSeconds }}
          {{- with .lifecycle }}
          lifecycle:
            {{- . | nindent 12 }}
          {{- end }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          volumeMounts:
            - name: config
              mountPath: /etc/tern
              readOnly: true
            - name: tmp
              mountPath: /tmp
            {{- if $ctx.Values.dkim.existingSecret }}
            - name: dkim
              mountPath: /etc/tern-dkim
              readOnly: true
            {{- end }}
            {{- with include "tern.secretMounts" $ctx }}
            {{- . | nindent 12 }}
            {{- end }}
      volumes:
        - name: config
          projected:
            sources:
              - configMap:
                  name: {{ include "tern.componentName" (dict "ctx" $ctx "component" "policy") }}
                  items:
                    - key: policy.yaml
                      path: policy.yaml
              {{- with include "tern.usersSecretName" $ctx }}
              - secret:
                  name: {{ . }}
                  items:
                    - key: {{ $ctx.Values.users.key }}
                      path: users.htpasswd
              {{- end }}
              {{- with .volumes }}
              {{- . | nindent 14 }}
              {{- end }}
        - name: tmp
          emptyDir:
            sizeLimit: 256Mi
        {{- with $ctx.Values.dkim.existingSecret }}
        - name: dkim
          secret:
            secretName: {{ . }}
            defaultMode: 288 # 0440: the pod's group (fsGroup) reads the keys, nobody else
        {{- end }}
        {{- with include "tern.secretVolumes" $ctx }}
        {{- . | nindent 8 }}
        {{- end }}
      {{- with include "tern.affinity" . | trim }}
      {{- . | nindent 6 }}
      {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}

{{/*
tern.env: the environment every service gets: where Kafka, Infinispan and the policy are, and
how to reach them securely (tern.securityEnv). Names follow TernConfig (tern.kafka.*,
tern.infinispan.*, tern.policy); KAFKA_BOOTSTRAP_SERVERS is kafka.bootstrap.servers, the
default of tern.kafka.bootstrap-servers.
*/}}
{{- define "tern.env" -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
- name: TERN_KAFKA_MAX_MESSAGE_BYTES
  value: {{ .Values.kafka.maxMessageBytes | int64 | quote }}
- name: TERN_KAFKA_PARTITIONS
  value: {{ .Values.kafka.topics.partitions | int | quote }}
- name: TERN_KAFKA_REPLICATION_FACTOR
  value: {{ .Values.kafka.topics.replicas | int | quote }}
- name: TERN_INFINISPAN_HOSTS
  value: {{ .Values.infinispan.hosts | quote }}
{{- with .Values.infinispan.credentials.secretName }}
- name: TERN_INFINISPAN_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.infinispan.credentials.usernameKey }}
- name: TERN_INFINISPAN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.infinispan.credentials.passwordKey }}
{{- end }}
- name: TERN_POLICY
  value: {{ include "tern.policyPath" . }}
{{- with .Values.dns.servers }}
- name: TERN_DNS_SERVERS
  value: {{ join "," . | quote }}
{{- end }}
- name: QUARKUS_HTTP_PORT
  value: "8080"
- name: JAVA_OPTS_APPEND
  value: {{ .Values.javaOpts | quote }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- include "tern.securityEnv" . }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
tern.affinity: .values.affinity if set; otherwise the podAntiAffinity preset, spreading
one component's pods across nodes ("soft": preferred, "hard": required, "none": off).
*/}}
{{- define "tern.affinity" -}}
{{- $v := .values -}}
{{- if $v.affinity }}
affinity:
  {{- toYaml $v.affinity | nindent 2 }}
{{- else if eq $v.podAntiAffinity "hard" }}
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "tern.selectorLabels" . | nindent 12 }}
{{- else if eq $v.podAntiAffinity "soft" }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "tern.selectorLabels" . | nindent 14 }}
{{- end }}
{{- end }}

{{/*
tern.hpa: a CPU HorizontalPodAutoscaler for one component, when .values.autoscaling.enabled and
KEDA does not scale it (.values.keda.enabled: its ScaledObject owns the HPA).
*/}}
{{- define "tern.hpa" -}}
{{- $v := .values }}
{{- if and $v.autoscaling.enabled (not (dig "keda" "enabled" false $v)) }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "tern.componentName" . }}
  labels:
    {{- include "tern.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "tern.componentName" . }}
  minReplicas: {{ $v.autoscaling.minReplicas }}
  maxReplicas: {{ $v.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $v.autoscaling.targetCPUUtilizationPercentage }}
  behavior:
    scaleDown:
      # Scale in slowly: every removed pod drains its SMTP sessions or in-flight deliveries.
      stabilizationWindowSeconds: 300
      policies:
        - type: Pods
          value: 1
          periodSeconds: 60
{{- end }}
{{- end }}

{{/*
tern.pdb: a PodDisruptionBudget for one component, when .values.podDisruptionBudget.enabled.
*/}}
{{- define "tern.pdb" -}}
{{- $v := .values }}
{{- if $v.podDisruptionBudget.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "tern.componentName" . }}
  labels:
    {{- include "tern.labels" . | nindent 4 }}
spec:
  minAvailable: {{ $v.podDisruptionBudget.minAvailable }}
  selector:
    matchLabels:
      {{- include "tern.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{/*
tern.httpService: the in-cluster Service on the admin/metrics port 8080 of one component,
named "<component>-http" and labelled tern.dev/metrics so the ServiceMonitor finds it.
Extra argument: headless (bool).
*/}}
{{- define "tern.httpService" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "tern.componentName" (dict "ctx" .ctx "component" (printf "%s-http" .component)) }}
  labels:
    {{- include "tern.labels" . | nindent 4 }}
    tern.dev/metrics: "true"
spec:
  type: ClusterIP
  {{- if .headless }}
  clusterIP: None
  {{- end }}
  selector:
    {{- include "tern.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: 8080
      targetPort: http
      protocol: TCP
{{- end }}
