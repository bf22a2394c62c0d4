"""Starting and waiting for local servers: shared by the benches and the tests' real servers."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from urllib.parse import quote


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 30, host: str | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers={"Host": host} if host else {})
            urllib.request.urlopen(request, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def database_url(settings_dict: dict) -> str:
    host = settings_dict.get("HOST") or "127.0.0.1"
    host = quote(host, safe="") if host.startswith("/") else host
    password = settings_dict.get("PASSWORD") or ""
    auth = settings_dict.get("USER") or "postgres"
    if password:
        auth += ":" + quote(password, safe="")
    return f"postgres://{auth}@{host}:{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"
