{{- define "hookline.name" -}}{{ .Release.Name }}-hookline{{- end -}}
{{- define "hookline.labels" -}}
app.kubernetes.io/name: hookline
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}
{{- define "hookline.selector" -}}
app.kubernetes.io/name: hookline
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{- define "hookline.secret" -}}{{ .Values.existingSecret | default (include "hookline.name" .) }}{{- end -}}
