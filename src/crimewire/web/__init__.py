"""The analyst's workbench: a FastAPI app (pages and a JSON API) over a read-only database.

``create_app(db_path)`` builds the app; `crimewire serve` runs it with uvicorn. One module per
view (``overview``, ``incidents``, ``articles``, ``organizations``, ``map``, ``network``,
``search``), each holding its page and its ``/api/...`` endpoints.
"""

from __future__ import annotations

from crimewire.web.app import create_app

__all__ = ["create_app"]
