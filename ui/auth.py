"""Sign-in: OpenID Connect through ``st.login`` when ``[auth]`` is configured, else single-user.

With an ``[auth]`` section in ``.streamlit/secrets.toml`` (Microsoft Entra ID or any OpenID
Connect provider; see ``docs/deployment.md``) nobody reaches a page before signing in, and
every map is filtered through :func:`mapping.storage.access.role_of` with the signed-in address.
Without it the app is in single-user mode: it serves only this computer
(``server.address = "localhost"`` in ``.streamlit/config.toml``) and the one user holds
every map.
"""

from __future__ import annotations

import os
import time
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from mapping.errors import ValidationError
from mapping.storage.access import normalise_email
from ui.text import md

__all__ = ["SESSION_HOURS", "configured", "user", "gate"]

#: How long a sign-in lasts before the provider is asked again ([coalition_mapper]
#: session_hours in secrets.toml changes it). Streamlit's own identity cookie lasts 30 days.
SESSION_HOURS = 12
SINGLE_USER_NOTE = "Single-user mode: only this computer can open the app."


def configured() -> bool:
    """Whether sign-in is set up: ``st.secrets`` has an ``[auth]`` section.

    Without a secrets file Streamlit looks for one at every question (about half a
    millisecond, several times a run), so the answer is kept for as long as the secrets and
    their files stay as they are: a file added, changed or removed is read afresh.
    """
    secrets, stamp = st.secrets, _secrets_stamp()
    last = _configured[0]
    if last is not None and last[0] is secrets and last[1] == stamp:
        return last[2]
    try:
        answer = "auth" in secrets
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        answer = False
    _configured[0] = (secrets, stamp, answer)  # one slot, replaced whole: safe across sessions
    return answer


#: The last answer of :func:`configured` with the secrets (the object: secrets put in its
#: place are asked afresh) and the state of their files it was given for.
_configured: list[tuple[Any, tuple[tuple[str, int, int] | None, ...], bool] | None] = [None]


def _secrets_stamp() -> tuple[tuple[str, int, int] | None, ...]:
    """Each secrets file's path, size and modification time (``None`` when absent)."""
    out: list[tuple[str, int, int] | None] = []
    for path in st.get_option("secrets.files"):
        try:
            found = os.stat(path)
        except OSError:
            out.append(None)
        else:
            out.append((str(path), found.st_size, found.st_mtime_ns))
    return tuple(out)


def _info() -> dict[str, Any]:
    return dict(st.user.to_dict())


def _address(info: dict[str, Any]) -> str | None:
    """The signed-in address: ``email``, else Entra ID's ``preferred_username`` (the UPN)."""
    for claim in ("email", "preferred_username", "upn"):
        value = info.get(claim)
        if isinstance(value, str) and value.strip():
            try:
                return normalise_email(value)
            except ValidationError:
                continue
    return None


def user() -> str | None:
    """The signed-in user's address, or ``None`` in single-user mode (or before sign-in)."""
    if not configured():
        return None
    info = _info()
    return _address(info) if info.get("is_logged_in") else None


def _session_hours() -> float:
    try:
        return float(st.secrets.get("coalition_mapper", {}).get("session_hours", SESSION_HOURS))
    except (TypeError, ValueError):
        return SESSION_HOURS


def _expired(info: dict[str, Any]) -> bool:
    issued = info.get("iat")
    if not isinstance(issued, int | float):
        return False
    return time.time() - float(issued) > _session_hours() * 3600


def _sign_in_page() -> None:
    st.title("Coalition Mapper")
    st.markdown(
        "Maps here hold judgements about named people, so each one is open only to the "
        "colleagues its owner shares it with. Sign in with your organisation account."
    )
    if st.button("Sign in", type="primary", icon=":material/login:"):
        st.login()
    st.stop()


def gate() -> str | None:
    """Require sign-in when it is configured; return the user's address (``None``: single-user).

    Stops the script (``st.stop``) until the user has signed in. Shows who is signed in, with
    a sign-out button, or the single-user note, at the top of the sidebar.
    """
    if not configured():
        st.sidebar.caption(f":material/computer: {SINGLE_USER_NOTE}")
        return None
    info = _info()
    if not info.get("is_logged_in"):
        _sign_in_page()
    if _expired(info):
        st.logout()
        st.stop()
    email = _address(info)
    if email is None:
        st.error(
            "Your account did not give an email address, so the app cannot tell which maps "
            "are yours. Ask your administrator to add the email (or UPN) claim to the sign-in."
        )
        if st.button("Sign out"):
            st.logout()
        st.stop()
    with st.sidebar:
        st.caption(f":material/account_circle: Signed in as **{md(email)}**")
        if st.button("Sign out", icon=":material/logout:", key="sign-out"):
            st.logout()
    return email
