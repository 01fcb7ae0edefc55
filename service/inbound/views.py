from flask import Blueprint

bp = Blueprint("inbound", __name__)
