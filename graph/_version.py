"""newsgraph's version, read once from the installed package's metadata.

>>> __version__.count(".") >= 1
True
"""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__: str = version("newsgraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
