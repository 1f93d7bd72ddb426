"""The Streamlit user interface: thin pages over the ``mapping`` package."""
