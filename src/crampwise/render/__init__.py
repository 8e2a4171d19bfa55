"""Renderers: an Assessment as terminal text or JSON (HTML, PDF and FHIR live in crampwise.report)."""
