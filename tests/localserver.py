"""The local server (`cargo run`'s binary) for the Python suites: started
on a free port of 127.0.0.1 with a fresh data directory, stopped on exit."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str):
    deadline = time.time() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                sys.exit(f"{what} did not start")
            time.sleep(0.1)


class Server:
    def __init__(self, binary: str, **env):
        self.binary = binary
        self.data = tempfile.mkdtemp(prefix="controlplane-")
        self.port = free_port()
        self.env = dict(os.environ, CONTROLPLANE_DATA_DIR=self.data, PORT=str(self.port), **env)
        self.env.pop("CONTROLPLANE_STORE", None)
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.log = open(os.path.join(self.data, "server.log"), "w")
        self.process = subprocess.Popen([self.binary], env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.process, f"the server (see {self.log.name})")
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()

    def token(self, sub: str, *args: str) -> str:
        out = subprocess.run([self.binary, "token", "--sub", sub, *args], env=self.env, check=True, capture_output=True)
        return out.stdout.decode().strip()

    def rest(self, method: str, path: str, token: str, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request) as response:
                text = response.read()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")
