"""Asserts what each rendered Kubernetes mode must contain (run by scripts/check-deploy after schema validation),
and, since no helm binary is available to render it, that the Helm chart's metadata and values parse and that
every `.Values.…` path its templates use exists in values.yaml.

usage: python check-kubernetes.py sqlite.yaml postgres.yaml [deploy/helm/hookline]
"""
import os
import re
import sys

import yaml


def load(path):
    with open(path) as handle:
        return {doc["kind"]: doc for doc in yaml.safe_load_all(handle) if doc}


def container(deployment):
    return deployment["spec"]["template"]["spec"]["containers"][0]


def check_common(mode, docs):
    deployment = docs["Deployment"]
    main = container(deployment)
    assert main["livenessProbe"]["httpGet"]["path"] == "/api/v1/health/ping", f"{mode}: liveness probe"
    assert main["readinessProbe"]["httpGet"]["path"] == "/api/v1/health/ready", f"{mode}: readiness probe"
    assert main["resources"]["requests"]["cpu"] and main["resources"]["requests"]["memory"], f"{mode}: resource requests"
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True, f"{mode}: non-root"
    assert main["securityContext"]["allowPrivilegeEscalation"] is False, f"{mode}: no privilege escalation"
    env = {item["name"]: item for item in main["env"]}
    assert env["HOOKLINE_API_KEY"]["valueFrom"]["secretKeyRef"]["key"] == "api-key", f"{mode}: API key from the Secret"
    assert docs["Service"]["spec"]["ports"][0]["port"] == 8400, f"{mode}: service port"
    return deployment, env, pod


def main(sqlite_path, postgres_path):
    sqlite = load(sqlite_path)
    deployment, env, pod = check_common("sqlite", sqlite)
    assert deployment["spec"]["replicas"] == 1 and deployment["spec"]["strategy"]["type"] == "Recreate", "sqlite: one replica, Recreate"
    data = next(volume for volume in pod["volumes"] if volume["name"] == "data")
    assert data["persistentVolumeClaim"]["claimName"] == sqlite["PersistentVolumeClaim"]["metadata"]["name"], "sqlite: data on the PVC"
    assert "HOOKLINE_DATABASE" not in env, "sqlite: no database URL"
    assert "PodDisruptionBudget" not in sqlite, "sqlite: no PDB (it would block node drains)"

    postgres = load(postgres_path)
    deployment, env, pod = check_common("postgres", postgres)
    assert deployment["spec"]["replicas"] > 1, "postgres: several replicas"
    assert env["HOOKLINE_DATABASE"]["valueFrom"]["secretKeyRef"]["key"] == "database-url", "postgres: database URL from the Secret"
    assert postgres["PodDisruptionBudget"]["spec"]["maxUnavailable"] == 1, "postgres: PDB"
    assert "PersistentVolumeClaim" not in postgres, "postgres: stateless nodes"
    print("    sqlite: 1 replica, Recreate, PVC; postgres: %d replicas, PDB, database URL from the Secret; probes, requests, non-root"
          % deployment["spec"]["replicas"])


def check_helm(chart):
    with open(os.path.join(chart, "Chart.yaml")) as handle:
        meta = yaml.safe_load(handle)
    assert meta["apiVersion"] == "v2" and meta["name"] == "hookline" and meta["version"], "helm: Chart.yaml"
    with open(os.path.join(chart, "values.yaml")) as handle:
        values = yaml.safe_load(handle)
    assert values["mode"] in ("sqlite", "postgres"), "helm: default mode"
    used = set()
    templates = os.path.join(chart, "templates")
    for name in os.listdir(templates):
        with open(os.path.join(templates, name)) as handle:
            used.update(re.findall(r"\.Values\.([A-Za-z0-9_.]+)", handle.read()))
    for path in sorted(used):
        node = values
        for key in path.split("."):
            assert isinstance(node, dict) and key in node, f"helm: templates use .Values.{path}, missing from values.yaml"
            node = node[key]
    print(f"    helm chart: Chart.yaml and values.yaml parse; {len(used)} value paths used by templates all defined (not rendered)")


if __name__ == "__main__":
    main(*sys.argv[1:3])
    if len(sys.argv) > 3:
        check_helm(sys.argv[3])
