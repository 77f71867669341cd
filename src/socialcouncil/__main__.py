"""``python -m socialcouncil``: the same as the ``socialcouncil`` command."""

from socialcouncil.cli import main

if __name__ == "__main__":
    main()
