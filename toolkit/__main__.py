"""``python -m toolkit`` runs the presspack CLI."""

from toolkit.cli import main

if __name__ == "__main__":
    main()
