"""Serve Coalition Mapper so that no other site can frame it: ``streamlit run serve.py``.

``make run`` and the browser tests start the app this way. ``streamlit run`` finds ``app``
below (an ``st.App``) and serves ``app.py`` with every usual command-line option and
``.streamlit/config.toml``, adding the frame protection of :mod:`ui.framing` to every HTTP
response. ``streamlit run app.py`` still works, but without that protection; AppTest runs
``app.py`` itself.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from ui.framing import FrameGuard

app = st.App("app.py", middleware=[Middleware(FrameGuard)])
