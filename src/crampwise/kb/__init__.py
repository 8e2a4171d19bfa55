"""The knowledge base: authored as YAML in `kb/data/` (and `text/data/`), validated by schemas at
build time (`python -m crampwise.kb.build`), shipped as one compiled JSON file that loads fast.
"""

from crampwise.kb.loader import KnowledgeBase, load

__all__ = ["KnowledgeBase", "load"]
