"""Refuse to fetch internal addresses unless told otherwise.

Feeds and sitemaps are written by strangers: without this guard a feed entry pointing at
`http://169.254.169.254/` or `http://localhost:8080/admin` would make the pipeline fetch
internal services and archive the answer. We resolve the host ourselves and connect to the
address we checked, so a DNS answer cannot change between the
check and the connection: the check runs inside the connection pool's network backend
(`GuardedBackend`), at connect time, for every connection including redirects.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class BlockedAddressError(Exception):
    """The target resolves to an address the settings do not allow."""


class ResolveError(Exception):
    """The host name does not resolve (treated like a connection error: worth a retry)."""


# IPv6 forms that carry an IPv4 address a relay or translator may forward to.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def embedded_ipv4(addr: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address stands for: IPv4-mapped and -compatible, 6to4
    (2002::/16), Teredo (client and server), NAT64 (64:ff9b::/96, 64:ff9b:1::/48) and
    ISATAP interface identifiers (::5efe:a.b.c.d, ::200:5efe:a.b.c.d)."""
    found: list[ipaddress.IPv4Address] = []
    if addr.ipv4_mapped is not None:
        found.append(addr.ipv4_mapped)
    if addr.sixtofour is not None:
        found.append(addr.sixtofour)
    if addr.teredo is not None:
        found.extend(addr.teredo)
    value = int(addr)
    last32 = ipaddress.IPv4Address(value & 0xFFFFFFFF)
    if addr in _NAT64 or addr in _NAT64_LOCAL or value >> 32 == 0:  # also ::a.b.c.d
        found.append(last32)
    if (value >> 32) & 0xFDFFFFFF == 0x00005EFE:  # ISATAP, with or without the u/l bit
        found.append(last32)
    return found


def is_public(addr: IPAddress) -> bool:
    """True only for globally routable unicast addresses (an allow-list, not a deny-list).

    `is_global` leaves out private, loopback, link-local, carrier-grade NAT (100.64.0.0/10,
    where some clouds answer metadata requests), benchmarking, documentation and reserved
    ranges; multicast is refused on top. An IPv6 address that embeds an IPv4 address is
    judged by that address too, since a relay or translator would deliver to it.
    """
    mapped = isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None
    if not mapped and (addr.is_multicast or not addr.is_global):  # mapped: judged as IPv4
        return False
    if isinstance(addr, ipaddress.IPv6Address):
        return all(is_public(inner) for inner in embedded_ipv4(addr))
    return True


@dataclass(frozen=True)
class Allowlist:
    """Exceptions to the public-only rule: host names (".example.org" = the domain and below)
    and address networks in CIDR form."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> Allowlist:
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry)
        return cls(frozenset(hosts), tuple(networks))

    def allows_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        if host in self.hosts:
            return True
        return any(h.startswith(".") and (host == h[1:] or host.endswith(h)) for h in self.hosts)

    def allows_addr(self, addr: IPAddress) -> bool:
        return any(addr in net for net in self.networks)


@dataclass(frozen=True)
class Resolution:
    host: str
    address: str  # the checked address the connection goes to


class Guard:
    """Resolves hosts once per run and decides whether they may be fetched."""

    def __init__(self, allow_private: bool, allowlist: Allowlist) -> None:
        self.allow_private = allow_private
        self.allowlist = allowlist
        self._cache: dict[str, Resolution | Exception] = {}

    async def resolve(self, host: str, port: int) -> Resolution:
        """Pick an address for `host` or raise BlockedAddressError / ResolveError."""
        key = f"{host}:{port}"
        cached = self._cache.get(key)
        if isinstance(cached, Resolution):
            return cached
        if isinstance(cached, BlockedAddressError):
            raise cached
        result: Resolution | Exception
        try:
            result = await self._resolve(host, port)
        except BlockedAddressError as exc:
            self._cache[key] = exc
            raise
        self._cache[key] = result
        return result

    async def _resolve(self, host: str, port: int) -> Resolution:
        try:
            literal: IPAddress | None = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            literal = None
        if literal is not None:
            addrs = [literal]
        else:
            loop = asyncio.get_running_loop()
            try:
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError) as exc:
                raise ResolveError(f"cannot resolve {host}: {exc}") from exc
            addrs = []
            for info in infos:
                addr = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
                if addr not in addrs:
                    addrs.append(addr)
            if not addrs:
                raise ResolveError(f"cannot resolve {host}: no addresses")
        trusted = self.allow_private or self.allowlist.allows_host(host)
        for addr in addrs:
            if not (trusted or is_public(addr) or self.allowlist.allows_addr(addr)):
                # one internal address is enough to refuse: a name that resolves to both is
                # exactly the trick this guard exists for
                raise BlockedAddressError(
                    f"{host} resolves to non-public address {addr}; "
                    "use --allow-private-hosts or the host allowlist to fetch it"
                )
        return Resolution(host, str(addrs[0]))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Network backend that connects only to addresses the guard accepted."""

    def __init__(self, guard: Guard, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.guard = guard
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            resolution = await self.guard.resolve(host, port)
        except ResolveError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        return await self.inner.connect_tcp(
            resolution.address, port, timeout, local_address, socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddressError("unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guarded_transport(guard: Guard, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connections pass through the guard.

    httpx has no public hook for the network backend, so we build the standard transport and
    swap its httpcore pool for one with our backend (pinned httpx 0.28; checked by tests).
    """
    transport = httpx.AsyncHTTPTransport(limits=limits, retries=0)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        http1=True,
        http2=False,
        retries=0,
        network_backend=GuardedBackend(guard),
    )
    return transport
