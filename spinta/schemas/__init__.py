"""marshmallow request/response schemas (no queries inside)."""
