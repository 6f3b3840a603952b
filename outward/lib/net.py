"""Where a request came from, where it may go back to, and fetching from the public internet
(and only there)."""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the proxy's last X-Forwarded-For hop when trusted."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or None


def local_path(request: HttpRequest, candidate: str | None) -> str | None:
    """A posted "next" address when it is a printable path on this site, else None. Only a
    path: `redirect("24:00")` would try it as a URL name (and fail with a 500), and a
    control character has no business in a Location header."""
    if (
        candidate
        and candidate.startswith("/")
        and candidate.isprintable()
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return None


# -- fetching from the public internet --------------------------------------------------------


class FetchRefused(Exception):
    """The address could not or may not be fetched; the message says why, for a person."""


@dataclass(frozen=True)
class PublicAddress:
    scheme: str
    host: str
    port: int
    ip: str  # the address that was checked, and the one connected to
    family: int = socket.AF_INET


def _is_public(ip: str) -> bool:
    return ipaddress.ip_address(ip.split("%", 1)[0]).is_global


def public_address(url: str) -> PublicAddress:
    """Resolve a URL's host once and check every address it has is on the public internet
    (not the server's own network: its database, a cloud metadata service). The fetch then
    connects to that very address, so a second lookup cannot be turned elsewhere."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused(_("The address must start with https:// or http://."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except ValueError as error:
        raise FetchRefused(_("The address is not valid.")) from error
    except (OSError, UnicodeError) as error:
        raise FetchRefused(
            _("The host %(host)s cannot be found.") % {"host": parts.hostname}
        ) from error
    addresses = [(family, sockaddr[0]) for family, *_rest, sockaddr in found]
    if not addresses or not all(_is_public(ip) for _family, ip in addresses):
        raise FetchRefused(
            _("The host %(host)s is not on the public internet.") % {"host": parts.hostname}
        )
    family, ip = addresses[0]
    return PublicAddress(parts.scheme, parts.hostname, port, ip, family)


def _connect(address: PublicAddress, timeout: float) -> socket.socket:
    """A socket connected to the checked IP itself (no lookup here, not even of a literal)."""
    sock = socket.socket(address.family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((address.ip, address.port))
    except BaseException:
        sock.close()
        raise
    return sock


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the checked address; Host stays the URL's host."""

    def __init__(self, address: PublicAddress, timeout: float):
        super().__init__(address.host, address.port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = _connect(self.address, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Connects to the checked address; SNI and the certificate check use the URL's host."""

    def __init__(self, address: PublicAddress, timeout: float):
        super().__init__(
            address.host, address.port, timeout=timeout, context=ssl.create_default_context()
        )
        self.address = address

    def connect(self):
        self.sock = _connect(self.address, self.timeout)
        # (Set before the handshake, so the deadline's timer can cut a slow one short too.)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)


def fetch_public(
    url: str,
    *,
    max_bytes: int,
    deadline: float,
    headers: dict[str, str] | None = None,
    redirects: int = 5,
) -> bytes:
    """GET a URL on the public internet: at most `max_bytes`, all within `deadline` seconds
    of wall-clock time, redirects included (each target checked again). A server that
    trickles its answer cannot hold the caller: a timer closes the connection at the
    deadline, whatever it is waiting for (connecting, the TLS handshake, headers, the body)."""
    stop_at = time.monotonic() + deadline
    for _hop in range(redirects + 1):
        address = public_address(url)
        remaining = stop_at - time.monotonic()
        if remaining <= 0:
            raise _too_slow(deadline)
        kind = _PinnedHTTPS if address.scheme == "https" else _PinnedHTTP
        connection = kind(address, timeout=min(remaining, 5.0))
        timer = threading.Timer(remaining, _shut, args=(connection,))
        timer.daemon = True
        timer.start()
        try:
            parts = urllib.parse.urlsplit(url)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("GET", target, headers=headers or {})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urllib.parse.urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise FetchRefused(
                    _("The address answered %(status)s %(reason)s.")
                    % {"status": response.status, "reason": response.reason}
                )
            chunks, size = [], 0
            while size <= max_bytes:
                chunk = response.read1(64 * 1024)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if time.monotonic() > stop_at:
                    raise _too_slow(deadline)
            if size > max_bytes:
                raise FetchRefused(
                    _("The answer is larger than %(size)s MB, more than Outward reads.")
                    % {"size": max_bytes // (1024 * 1024)}
                )
            if time.monotonic() > stop_at:
                raise _too_slow(deadline)
            return b"".join(chunks)
        except (http.client.HTTPException, OSError, ValueError) as error:
            if time.monotonic() >= stop_at:
                raise _too_slow(deadline) from error
            raise FetchRefused(
                _("The address could not be reached (%(reason)s).") % {"reason": error}
            ) from error
        finally:
            timer.cancel()
            connection.close()
    raise FetchRefused(_("The address redirects too many times."))


def _shut(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _too_slow(deadline: float) -> FetchRefused:
    return FetchRefused(
        _("The answer took longer than %(seconds)s seconds to arrive.")
        % {"seconds": f"{deadline:g}"}
    )
