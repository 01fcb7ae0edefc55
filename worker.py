"""RQ worker entry point beside wsgi.py: `python worker.py [--burst] [--queues inbound]`.

It is `turnabout worker` (service/cli.py) under another name, so there is one worker
implementation; the deploy files call `turnabout worker`."""

import sys

from service.cli import main

if __name__ == "__main__":
    main(["worker", *sys.argv[1:]], prog_name="worker.py")
