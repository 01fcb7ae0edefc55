"""The yardstick for bench_web.py: a one-line Flask view on the same gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello"
