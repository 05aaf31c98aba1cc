"""``python -m reslib``: the same as the ``reslib`` console script."""

from .cli import main

main()
