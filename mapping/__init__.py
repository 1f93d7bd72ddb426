"""Coalition Mapper: map the people a health and care system change must win over.

A plain Python package: it imports without Streamlit.
"""

__version__ = "0.1.0"
