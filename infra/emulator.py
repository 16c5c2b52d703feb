"""The local AWS emulator for the test suites: moto's server app, handling one
request at a time.

`moto_server` serves requests on many threads, and moto's DynamoDB
TransactWriteItems takes no lock: two concurrent transactions can both pass
a version condition before either writes, which real DynamoDB never allows.
Serializing requests restores DynamoDB's transaction isolation, so the
conformance and e2e suites test our adapter, not the emulator's races.

Item reads (GetItem, BatchGetItem, Query, Scan, TransactGetItems) answer
with their result encoded as JSON directly. moto's result is already in
DynamoDB's wire shape; its generic serializer walks it against the botocore
model, trying every member of every AttributeValue under several spellings,
which costs about 40 µs per attribute: a 7-item BatchGetItem took 10 ms,
against 1 ms for one small GetItem, and the benchmark measured that instead
of the function. Encoding directly gives the same body (bytes as base64,
absent members left out) in a fraction of the time.

Usage: python infra/emulator.py PORT   (binds 127.0.0.1 only)
"""

import base64
import json
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

ITEM_READS = {"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"}


def wire(value):
    """A moto DynamoDB result as the JSON protocol sends it: bytes base64,
    None members left out."""
    if isinstance(value, dict):
        return {k: wire(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [wire(v) for v in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def direct_item_reads():
    try:
        from moto.dynamodb.responses import DynamoResult
    except ImportError:  # a moto without result objects: its own path
        print("emulator: moto has no DynamoResult; item reads go through its serializer", file=sys.stderr)
        return
    serialize = DynamoResult.execute_result

    def execute_result(self, context):
        if context.operation_model.name not in ITEM_READS or isinstance(self.result, Exception):
            return serialize(self, context)
        return 200, {"Content-Type": "application/x-amz-json-1.0"}, json.dumps(wire(self.result))

    DynamoResult.execute_result = execute_result


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
    direct_item_reads()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple("127.0.0.1", port, OneAtATime(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
