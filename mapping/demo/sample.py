"""The demo map: a fictional integrated care system, read through the project JSON importer."""

from __future__ import annotations

from pathlib import Path

from mapping.errors import NotFoundError
from mapping.io.project_json import loads
from mapping.model import Map

__all__ = ["SAMPLE_PATH", "load_sample"]

SAMPLE_PATH: Path = (
    Path(__file__).resolve().parents[2] / "sample_data" / "integrated-care-system.json"
)


def load_sample(path: Path | str = SAMPLE_PATH) -> Map:
    """The Riverside and Hallam demo map, read the way users' project files are read.

    Every person and organisation in it is invented. ``sample_data/build_sample.py``
    writes the file; ``sample_data/README.md`` lists the gaps planted for the analysis.

    Parameters
    ----------
    path : Path or str, optional
        Another project JSON file to read instead of the bundled sample.

    Raises
    ------
    NotFoundError
        If the file is not there (for example in an install without ``sample_data/``).

    Examples
    --------
    >>> m = load_sample()
    >>> m.name
    'Riverside and Hallam ICS: joining up hospital discharge and intermediate care'
    >>> 40 <= len(m.stakeholders) <= 60
    True
    """
    where = Path(path)
    try:
        data = where.read_bytes()
    except FileNotFoundError:
        msg = (
            f"The sample map is not at {where}. Run 'python sample_data/build_sample.py' "
            "from a full checkout of Coalition Mapper to create it."
        )
        raise NotFoundError(msg) from None
    return loads(data)
