"""Frame protection: every HTTP response says only the app's own pages may frame it.

Streamlit has no option for extra response headers, so ``serve.py`` wraps ``app.py`` in
``st.App`` with :class:`FrameGuard`, a small ASGI middleware. Every HTTP response, from the
first request on, carries ``Content-Security-Policy: frame-ancestors 'self'`` and
``X-Frame-Options: SAMEORIGIN``: a page on another origin cannot show the app in a frame
(clickjacking), while the app's own same-origin frames (the map component) still draw.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["FRAME_HEADERS", "FrameGuard"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Added to every HTTP response (names in lower case, as ASGI carries them).
FRAME_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"x-frame-options", b"SAMEORIGIN"),
)
_NAMES = frozenset(name for name, _ in FRAME_HEADERS)


class FrameGuard:
    """ASGI middleware: add :data:`FRAME_HEADERS` to every HTTP response.

    A header the response already sets under one of those names is replaced, so there is
    only ever one policy. Websockets and lifespan events pass through untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                kept = [(k, v) for k, v in headers if bytes(k).lower() not in _NAMES]
                message["headers"] = [*kept, *FRAME_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
