"""`python -m service ...` is the `turnabout` command."""

from service.cli import main

main()
