"""The assistant's language, without a database: the statistics it knows (:mod:`.stats`, from
the statistic catalogue), the question parser (:mod:`.parser`), the intents and the conversation
context (:mod:`.intents`) and Markdown escaping (:mod:`.markdown`).

Pure: imports nothing of Flask or SQLAlchemy; :mod:`spinta.services.chat` loads the club's data,
composes the answers and owns the transactions.
"""
