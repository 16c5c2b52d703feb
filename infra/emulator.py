"""The local AWS emulator for the test suites: moto's server app, handling one
request at a time.

`moto_server` serves requests on many threads, and moto's DynamoDB
TransactWriteItems takes no lock: two concurrent transactions can both pass
a version condition before either writes, which real DynamoDB never allows.
Serializing requests restores DynamoDB's transaction isolation, so the
conformance and e2e suites test our adapter, not the emulator's races.

Usage: python infra/emulator.py PORT   (binds 127.0.0.1 only)
"""

import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple


class OneAtATime:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            # Consume the whole response inside the lock.
            return list(self.app(environ, start_response))


def main() -> None:
    port = int(sys.argv[1])
    app = DomainDispatcherApplication(create_backend_app)
    run_simple("127.0.0.1", port, OneAtATime(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
