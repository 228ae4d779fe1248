{{/*
Only Go's built-in template language is used here and in every template (no Sprig, no
include/toYaml): the package test renders the chart with Go's own text/template engine.
*/}}

{{- define "signalbox.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- printf "%.63s" .Values.fullnameOverride -}}
{{- else -}}
{{- printf "%.63s" .Release.Name -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object, as lines indented for metadata.labels. */}}
{{- define "signalbox.labels" }}
    app.kubernetes.io/name: signalbox
    app.kubernetes.io/instance: {{ printf "%q" .Release.Name }}
    app.kubernetes.io/version: {{ printf "%q" .Chart.AppVersion }}
    app.kubernetes.io/managed-by: {{ printf "%q" .Release.Service }}
    helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | printf "%q" }}
{{- end -}}
