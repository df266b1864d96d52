{{/*
tern.partitions: the partitions of one topic (.topic): its kafka.topics.overrides entry, else kafka.topics.partitions.
*/}}
{{- define "tern.partitions" -}}
{{- $t := .ctx.Values.kafka.topics }}
{{- $o := get $t.overrides .topic | default dict }}
{{- $o.partitions | default $t.partitions | int }}
{{- end }}

{{/*
tern.kedaKafkaTrigger: KEDA's Kafka scaler on the lag of one consumer group on one topic. Idle
consumers are not allowed, so KEDA never scales past the topic's partitions.
*/}}
{{- define "tern.kedaKafkaTrigger" -}}
- type: kafka
  metadata:
    bootstrapServers: {{ .ctx.Values.kafka.bootstrapServers | quote }}
    consumerGroup: {{ .group }}
    topic: {{ .topic }}
    lagThreshold: {{ .keda.lagThreshold | quote }}
    offsetResetPolicy: earliest
    allowIdleConsumers: "false"
  {{- with .keda.kafkaAuthenticationRef }}
  authenticationRef:
    name: {{ . }}
  {{- end }}
{{- end }}

{{/*
tern.scaledObject: the KEDA ScaledObject of one component (.component) with its triggers (.triggers, YAML list) and replica bounds.
*/}}
{{- define "tern.scaledObject" -}}
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ include "tern.componentName" . }}
  labels:
    {{- include "tern.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "tern.componentName" . }}
  minReplicaCount: {{ .min }}
  maxReplicaCount: {{ .max }}
  pollingInterval: {{ .keda.pollingInterval }}
  cooldownPeriod: {{ .keda.cooldownPeriod }}
  advanced:
    horizontalPodAutoscalerConfig:
      behavior:
        scaleDown:
          # Scale in slowly: every removed pod drains its in-flight deliveries or notices.
          stabilizationWindowSeconds: 300
          policies:
            - type: Pods
              value: 1
              periodSeconds: 60
  triggers:
    {{- .triggers | nindent 4 }}
{{- end }}
