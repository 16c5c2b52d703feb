"""A minimal OpenID Connect issuer for the console's sign-in test, on
127.0.0.1: discovery, an authorization endpoint that approves at once
(Authorization Code, PKCE with S256 required), a token endpoint that
checks the code verifier, and the JWKS of one RS256 key."""

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Issuer:
    def __init__(self, client_id: str, audience: str, subject: str, email: str):
        self.client_id, self.audience, self.subject, self.email = client_id, audience, subject, email
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes = {}
        self.redeemed = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()

    def jwks(self):
        numbers = self.key.public_key().public_numbers()
        as_bytes = lambda n: n.to_bytes((n.bit_length() + 7) // 8, "big")  # noqa: E731
        return {"keys": [{"kty": "RSA", "kid": "console-test", "use": "sig", "alg": "RS256",
                          "n": b64url(as_bytes(numbers.n)), "e": b64url(as_bytes(numbers.e))}]}

    def access_token(self):
        now = int(time.time())
        claims = {"iss": self.url, "aud": self.audience, "sub": self.subject, "email": self.email,
                  "iat": now, "exp": now + 600, "jti": secrets.token_hex(8)}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "console-test"})

    def handler(self):
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body=None, headers=()):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Access-Control-Allow-Origin", "*")
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/.well-known/openid-configuration":
                    return self.reply(200, {"issuer": issuer.url, "authorization_endpoint": f"{issuer.url}/authorize",
                                            "token_endpoint": f"{issuer.url}/token", "jwks_uri": f"{issuer.url}/jwks"})
                if url.path == "/jwks":
                    return self.reply(200, issuer.jwks())
                if url.path == "/authorize":
                    wanted = {"response_type": "code", "client_id": issuer.client_id, "code_challenge_method": "S256"}
                    if any(query.get(k) != v for k, v in wanted.items()) or not query.get("code_challenge"):
                        return self.reply(400, {"error": "invalid_request", "got": query})
                    code = secrets.token_urlsafe(16)
                    issuer.codes[code] = (query["code_challenge"], query["redirect_uri"])
                    target = query["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": query.get("state", "")})
                    return self.reply(302, None, [("Location", target)])
                return self.reply(404, {"error": "not_found"})

            def do_POST(self):
                if self.path != "/token":
                    return self.reply(404, {"error": "not_found"})
                form = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
                challenge, redirect = issuer.codes.pop(form.get("code"), (None, None))
                verifier = form.get("code_verifier", "")
                if (form.get("grant_type") != "authorization_code" or form.get("client_id") != issuer.client_id
                        or challenge is None or form.get("redirect_uri") != redirect
                        or b64url(hashlib.sha256(verifier.encode()).digest()) != challenge):
                    return self.reply(400, {"error": "invalid_grant"})
                issuer.redeemed.append(form["code"])
                return self.reply(200, {"access_token": issuer.access_token(), "token_type": "Bearer", "expires_in": 600})

        return Handler
