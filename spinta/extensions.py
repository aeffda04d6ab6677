"""Flask extensions, created unbound here and bound to the app in :mod:`spinta.app`."""

from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy

from spinta.models.base import Base
from spinta.schemas.service import ErrorSchema

# Objects keep their loaded values after commit: a response is built from what was written,
# without a second round of queries that could fail after the data is already stored.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
cors = CORS()
jwt = JWTManager()
limiter = Limiter(key_func=get_remote_address)


class SpintaApi(Api):
    """flask-smorest Api documenting Spinta's error contract instead of its default one.

    No catch-all "default" response: each view lists the error statuses it can answer
    (:func:`spinta.api.docs.errors`), so the document says exactly what a client gets.
    """

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None


api = SpintaApi()
