"""The store: how an analysed match is written to the database, inside the caller's transaction.

- `report.apply_report`: the match's derived facts, players, lineups, goals, team and player
  statistics (the upload and the re-analysis both use it);
- `events.insert_events`: the event store (COPY on PostgreSQL);
- `checks`: the values a column cannot take, refused before anything is written;
- `copy`: bulk writes and PostgreSQL's COPY text format.

Layering: spinta.services (use cases, transactions) -> spinta.store -> spinta.models and
spinta.analytics.
"""
