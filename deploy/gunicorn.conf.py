"""gunicorn settings for Zhanqun. Every value can be overridden from the environment."""

import glob
import multiprocessing
import os
import re

from prometheus_client import multiprocess

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))  # recycle workers: bounded memory growth
max_requests_jitter = 200
pythonpath = "platform"
wsgi_app = "zhanqun.wsgi:application"
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def _instance_control_socket(bind_address: str) -> str:
    """A control socket path of this instance's own, named after its bind address.

    gunicorn (25.1+) opens one by default at a path fixed per user ($XDG_RUNTIME_DIR/gunicorn.ctl or
    ~/.gunicorn/gunicorn.ctl): a second instance on the host takes it over, and whichever stops first
    removes the other's. Same folders as gunicorn's default, one file per bind address."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    folder = runtime if runtime and os.path.isdir(runtime) else os.path.join(os.path.expanduser("~"), ".gunicorn")
    name = re.sub(r"[^A-Za-z0-9.]+", "-", bind_address).strip("-")
    return os.path.join(folder, f"zhanqun-{name}.ctl")


# GUNICORN_CONTROL_SOCKET: a path, or "off" to open none (gunicornc then cannot reach this instance).
_control = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if _control.lower() in {"off", "none", "false", "0"}:
    control_socket_disable = True
else:
    control_socket = _control or _instance_control_socket(bind)


# Metrics across workers (zhanqun.ops.metrics): with PROMETHEUS_MULTIPROC_DIR set, each worker writes
# its counters there; start from an empty folder and drop a dead worker's live gauges.
def on_starting(server) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for path in glob.glob(os.path.join(folder, "*.db")):
            os.remove(path)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
