"""Make the shared hypothesis strategies importable as `strategies` (tests run with importlib mode)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
