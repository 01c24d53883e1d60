"""Benchmarks and their data: a synthetic corpus generator and timing scripts.

Run them as modules from the repository root, e.g. ``python -m benchmarks.synthetic OUT``.
Not part of the installed package: nothing here is imported by ``graph`` or ``exporters``.
"""

__all__: list[str] = []
