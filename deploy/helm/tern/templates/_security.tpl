{{/*
Security partials (README, "Running against a secured Kafka and Infinispan"): the environment
and the Secret volumes that give every service its Kafka and Infinispan credentials, the admin
API's tokens file and the smarthost passwords. Each Secret is its own read-only volume, mounted
as a directory (never subPath), so a rotated Secret reaches the running pod.
*/}}

{{/*
tern.kafkaProperty: the environment variable of one Kafka client property
(security.protocol -> TERN_KAFKA_PROPERTIES_SECURITY_PROTOCOL).
*/}}
{{- define "tern.kafkaProperty" -}}
{{- printf "TERN_KAFKA_PROPERTIES_%s" (. | replace "." "_" | replace "-" "_" | upper) }}
{{- end }}

{{/*
tern.securityEnv: Kafka client properties (kafka.security.*), Infinispan TLS and SASL
(infinispan.*), the admin tokens file (admin.tokensSecret).
*/}}
{{- define "tern.securityEnv" -}}
{{- $k := .Values.kafka.security }}
{{- range $name, $value := $k.properties }}
- name: {{ include "tern.kafkaProperty" $name }}
  value: {{ toString $value | quote }}
{{- end }}
{{- with $k.saslSecret.name }}
- name: TERN_KAFKA_PROPERTIES_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $k.saslSecret.key }}
{{- end }}
{{- if $k.caSecret.name }}
- name: TERN_KAFKA_PROPERTIES_SSL_TRUSTSTORE_TYPE
  value: PEM
- name: TERN_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION
  value: {{ printf "/etc/tern-kafka/ca/%s" $k.caSecret.key | quote }}
{{- end }}
{{- with $k.clientSecret.name }}
- name: TERN_KAFKA_PROPERTIES_SSL_KEYSTORE_TYPE
  value: PKCS12
- name: TERN_KAFKA_PROPERTIES_SSL_KEYSTORE_LOCATION
  value: {{ printf "/etc/tern-kafka/user/%s" $k.clientSecret.keystoreKey | quote }}
- name: TERN_KAFKA_PROPERTIES_SSL_KEYSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $k.clientSecret.passwordKey }}
{{- end }}
{{- $i := .Values.infinispan }}
{{- with $i.saslMechanism }}
- name: TERN_INFINISPAN_SASL_MECHANISM
  value: {{ . | quote }}
{{- end }}
{{- if $i.tls.enabled }}
- name: TERN_INFINISPAN_TLS_ENABLED
  value: "true"
{{- with $i.tls.caSecret.name }}
- name: TERN_INFINISPAN_TLS_TRUSTSTORE
  value: {{ printf "/etc/tern-infinispan/%s" $i.tls.caSecret.key | quote }}
- name: TERN_INFINISPAN_TLS_TRUSTSTORE_TYPE
  value: PEM
{{- end }}
{{- with $i.tls.sniHostName }}
- name: TERN_INFINISPAN_TLS_SNI_HOST_NAME
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if .Values.admin.tokensSecret.name }}
- name: TERN_ADMIN_TOKENS_FILE
  value: {{ printf "/etc/tern-admin/%s" .Values.admin.tokensSecret.key | quote }}
{{- end }}
{{- end }}

{{/*
tern.secretVolumes / tern.secretMounts: one volume and mount per configured Secret.
*/}}
{{- define "tern.secretVolumes" -}}
{{- $k := .Values.kafka.security }}
{{- with $k.caSecret.name }}
- name: kafka-ca
  secret:
    secretName: {{ . }}
    items:
      - key: {{ $k.caSecret.key }}
        path: {{ $k.caSecret.key }}
{{- end }}
{{- with $k.clientSecret.name }}
- name: kafka-user
  secret:
    secretName: {{ . }}
    defaultMode: 288 # 0440: the pod's group (fsGroup) reads the key, nobody else
    items:
      - key: {{ $k.clientSecret.keystoreKey }}
        path: {{ $k.clientSecret.keystoreKey }}
{{- end }}
{{- with .Values.infinispan.tls.caSecret.name }}
{{- if $.Values.infinispan.tls.enabled }}
- name: infinispan-ca
  secret:
    secretName: {{ . }}
    items:
      - key: {{ $.Values.infinispan.tls.caSecret.key }}
        path: {{ $.Values.infinispan.tls.caSecret.key }}
{{- end }}
{{- end }}
{{- with .Values.admin.tokensSecret.name }}
- name: admin-tokens
  secret:
    secretName: {{ . }}
    defaultMode: 288
    items:
      - key: {{ $.Values.admin.tokensSecret.key }}
        path: {{ $.Values.admin.tokensSecret.key }}
{{- end }}
{{- range $name, $c := .Values.relayCredentials }}
- name: {{ printf "relay-%s" $name | trunc 63 | trimSuffix "-" }}
  secret:
    secretName: {{ $c.secretName }}
    defaultMode: 288
    items:
      - key: {{ $c.key }}
        path: password
{{- end }}
{{- range $name, $c := .Values.webhookSecrets }}
- name: {{ printf "webhook-%s" $name | lower | replace "_" "-" | trunc 63 | trimSuffix "-" }}
  secret:
    secretName: {{ $c.secretName }}
    defaultMode: 288
    items:
      - key: {{ $c.key }}
        path: secret
{{- end }}
{{- end }}

{{- define "tern.secretMounts" -}}
{{- if .Values.kafka.security.caSecret.name }}
- name: kafka-ca
  mountPath: /etc/tern-kafka/ca
  readOnly: true
{{- end }}
{{- if .Values.kafka.security.clientSecret.name }}
- name: kafka-user
  mountPath: /etc/tern-kafka/user
  readOnly: true
{{- end }}
{{- if and .Values.infinispan.tls.enabled .Values.infinispan.tls.caSecret.name }}
- name: infinispan-ca
  mountPath: /etc/tern-infinispan
  readOnly: true
{{- end }}
{{- if .Values.admin.tokensSecret.name }}
- name: admin-tokens
  mountPath: /etc/tern-admin
  readOnly: true
{{- end }}
{{- range $name, $c := .Values.relayCredentials }}
- name: {{ printf "relay-%s" $name | trunc 63 | trimSuffix "-" }}
  mountPath: {{ printf "/etc/tern-relay/%s" $name }}
  readOnly: true
{{- end }}
{{- range $name, $c := .Values.webhookSecrets }}
- name: {{ printf "webhook-%s" $name | lower | replace "_" "-" | trunc 63 | trimSuffix "-" }}
  mountPath: {{ printf "/etc/tern-webhooks/%s" $name }}
  readOnly: true
{{- end }}
{{- end }}
