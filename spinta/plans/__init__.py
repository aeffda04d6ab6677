"""Training plans without a database: the rule-based plan generator (:mod:`.generator`).

Pure: imports nothing of Flask or SQLAlchemy; :mod:`spinta.services.training` loads the rows
and owns the transactions.
"""
