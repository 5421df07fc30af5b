"""``python -m neurograph`` runs the command line."""

from neurograph.cli import main

main()
