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

Item sizes are computed without rebuilding the value. moto's
`DynamoType.size` wraps every nested value in a new `DynamoType`, whose
constructor wraps the value's own children again, at every level; and
BatchGetItem asks each item's size twice (for its 16 MB answer limit). A
BatchGetItem of two small items spent half its time there (0.45 ms), where
GetItem, which asks no size, spent nothing: the first-invoke comparison with
sdk-typical's one GetItem measured the emulator's batch get. `item_size`
gives the same number (checked against moto's own in `--check-sizes`) by
walking the value once.

Two lookups moto repeats for every request (its module list, read from
disk, and a handler class's method names) are made once (`fixed_lookups`).

Faults can be injected for the throttling tests: `POST /_emulator/faults`
with `{"target": "DynamoDB_20120810.TransactWriteItems", "contains":
"TEXT", "code": "ProvisionedThroughputExceededException", "times": N}`
makes the next N requests whose `X-Amz-Target` is `target` and whose body
contains `contains` (a test's own table name, so that other tests sharing
the emulator are not hit) answer 400 with that error code, as DynamoDB,
SQS and Secrets Manager do in their JSON protocols; with `"delay_ms": MS`
instead of a code they are answered normally after that long. The answer is the
fault's id; `GET /_emulator/faults/ID` tells how many times it answered.

With `--busy-log PATH` it appends, for each request, when it started and
ended being served (inside the one-at-a-time lock; `time.perf_counter`,
the monotonic clock the benchmark's harness times invokes with): the
benchmark counts the store calls each invoke makes from it.

Usage: python infra/emulator.py PORT [--busy-log PATH]   (binds 127.0.0.1 only)
       python infra/emulator.py --check-sizes
"""

import base64
import io
import json
import sys
import threading
import time

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.dynamodb.models.utilities import bytesize
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


def item_size(value) -> int:
    """moto's `DynamoType.size`, walking the value once: numbers by their
    text, strings and binaries by their bytes, booleans and null as 1, sets,
    lists and maps by their members (map keys by their bytes)."""
    kind, inner = value.type, value.value
    if kind == "N":
        return len(str(inner))
    if kind in ("SS", "NS", "BS"):
        return sum(len(str(v)) if kind == "NS" else bytesize(v) for v in inner)
    if kind == "L":
        return sum(item_size(v) for v in inner)
    if kind == "M":
        return sum(bytesize(k) + item_size(v) for k, v in inner.items())
    if isinstance(inner, bool):
        return 1
    return bytesize(inner)


def cheap_item_sizes():
    from moto.dynamodb.models.dynamo_type import DynamoType

    DynamoType.size = item_size


def check_sizes() -> None:
    """Compares `item_size` with moto's own on values of every type."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    samples = [
        {"S": "héllo"}, {"N": "-12.5e3"}, {"B": b"\x00\x01"}, {"B": "AAE="}, {"BOOL": True}, {"BOOL": False},
        {"NULL": True}, {"SS": ["a", "bé"]}, {"NS": ["1", "22"]}, {"BS": [b"x", b"yz"]},
        {"L": [{"S": "a"}, {"N": "3"}, {"M": {"k": {"L": [{"NULL": True}]}}}]},
        {"M": {"pk": {"S": "T#org"}, "data": {"M": {"name": {"S": "n"}, "tags": {"SS": ["x"]}, "n": {"N": "7"}}}}},
    ]
    original = DynamoType.size
    for sample in samples:
        value = DynamoType(sample)
        expected, actual = original(value), item_size(value)
        if expected != actual:
            sys.exit(f"size of {sample}: moto {expected}, item_size {actual}")
    print(f"item_size agrees with moto on {len(samples)} values")


class OneAtATime:
    def __init__(self, app, busy_log=None):
        self.app = app
        self.lock = threading.Lock()
        self.busy_log = busy_log

    def __call__(self, environ, start_response):
        with self.lock:
            start = time.perf_counter()
            # Consume the whole response inside the lock.
            answer = list(self.app(environ, start_response))
            if self.busy_log:
                self.busy_log.write(f"{start:.6f} {time.perf_counter():.6f}\n")
            return answer


class Faults:
    """Answers matching requests with an injected error (see the module doc)."""

    PREFIX = "/_emulator/faults"

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.faults = []

    def respond(self, start_response, status, body, content_type="application/json"):
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
        return [data]

    def control(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if environ["REQUEST_METHOD"] == "POST" and path == self.PREFIX:
            size = int(environ.get("CONTENT_LENGTH") or 0)
            fault = json.loads(environ["wsgi.input"].read(size) or b"{}")
            missing = [k for k in ("target", "contains", "times") if k not in fault]
            if "code" not in fault and "delay_ms" not in fault:
                missing.append("code or delay_ms")
            if missing:
                return self.respond(start_response, "400 Bad Request", {"missing": missing})
            with self.lock:
                fault.update(id=len(self.faults), answered=0)
                self.faults.append(fault)
            return self.respond(start_response, "201 Created", fault)
        if environ["REQUEST_METHOD"] == "GET" and path.startswith(self.PREFIX + "/"):
            index = int(path.rsplit("/", 1)[1])
            with self.lock:
                if index >= len(self.faults):
                    return self.respond(start_response, "404 Not Found", {"id": index})
                return self.respond(start_response, "200 OK", self.faults[index])
        return self.respond(start_response, "404 Not Found", {"path": path})

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(self.PREFIX):
            return self.control(environ, start_response)
        target = environ.get("HTTP_X_AMZ_TARGET")
        if not target or not self.faults:
            return self.app(environ, start_response)
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(size)
        environ["wsgi.input"] = io.BytesIO(body)
        text = body.decode("utf-8", "replace")
        with self.lock:
            fault = next(
                (f for f in self.faults if f["target"] == target and f["contains"] in text and f["answered"] < f["times"]),
                None,
            )
            if fault is not None:
                fault["answered"] += 1
        if fault is None:
            return self.app(environ, start_response)
        if "code" not in fault:
            # A slow answer: held before the one-at-a-time lock, so other
            # requests go on meanwhile.
            time.sleep(fault["delay_ms"] / 1000)
            return self.app(environ, start_response)
        error = {"__type": fault["code"], "message": "injected by the emulator"}
        return self.respond(start_response, "400 Bad Request", error, "application/x-amz-json-1.0")


def fixed_lookups():
    """Two lookups moto repeats on every request, made once: the list of
    its service modules (a directory listing and a stat per entry, to
    match the Host header against) and a response class's method names
    (`inspect.getmembers`, to find the action's handler). Neither changes
    while the server runs; together they were 0.35 ms of a 2.4 ms GetItem."""
    import functools

    from moto import backends
    from moto.core import responses

    if not hasattr(backends, "list_of_moto_modules") or not hasattr(responses, "method_names_from_class"):
        print("emulator: moto's lookups moved; they stay per request", file=sys.stderr)
        return
    modules = frozenset(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules
    responses.method_names_from_class = functools.lru_cache(maxsize=None)(responses.method_names_from_class)


def main() -> None:
    if sys.argv[1] == "--check-sizes":
        check_sizes()
        return
    port = int(sys.argv[1])
    busy_log = open(sys.argv[3], "a", buffering=1) if sys.argv[2:3] == ["--busy-log"] else None
    direct_item_reads()
    cheap_item_sizes()
    fixed_lookups()
    app = DomainDispatcherApplication(create_backend_app)
    served = Faults(OneAtATime(app, busy_log))
    run_simple("127.0.0.1", port, served, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
