"""Views of the graph: the standalone HTML page (:mod:`.html`) and the notebook widget
(:mod:`.notebook`), both drawn from the reduced, laid-out view of :mod:`.layout`.
"""

__all__: list[str] = []
