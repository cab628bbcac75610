"""The client's address behind the reverse proxy, believed only from configured proxies.

Rate limits and the check-in record key on the client's address. Behind nginx every request
comes from nginx, so the address must be read from `X-Forwarded-For`, which any client can
also send itself. The header is therefore believed only when the TCP peer is one of
`FORWARDED_ALLOW_IPS`; then the last `PROXY_COUNT` hops of it (and `X-Forwarded-Proto`) are
applied by werkzeug's ProxyFix. From any other peer the headers are ignored.
"""

from collections.abc import Callable, Iterable

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


class TrustedProxyFix:
    """ProxyFix for requests whose peer is a trusted proxy; the plain app for the others."""

    def __init__(self, app: Callable, trusted: Iterable[str], hops: int) -> None:
        self.app = app
        self.trusted = frozenset(trusted)
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)

    def __call__(self, environ: dict, start_response: Callable):
        if "*" in self.trusted or environ.get("REMOTE_ADDR") in self.trusted:
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)


def init_proxy(app: Flask) -> None:
    trusted = [ip.strip() for ip in app.config["FORWARDED_ALLOW_IPS"].split(",") if ip.strip()]
    if trusted:
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, trusted, app.config["PROXY_COUNT"])
