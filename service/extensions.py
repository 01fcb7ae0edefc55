"""Flask extensions, created unbound; `create_app()` binds them with init_app()."""

from flask_alembic import Alembic
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy_lite import SQLAlchemy

from service.csrf import LinkAwareCSRFProtect
from service.database import Model

db = SQLAlchemy()
alembic = Alembic(metadatas=Model.metadata, run_mkdir=False)
csrf = LinkAwareCSRFProtect()  # Flask-WTF's, see service/csrf.py
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)
