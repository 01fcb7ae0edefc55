"""RQ worker entry point: `python worker.py` listens to every queue of the service."""

from service import create_app
from service.jobs import build_worker

if __name__ == "__main__":
    build_worker(create_app()).work(with_scheduler=True)
