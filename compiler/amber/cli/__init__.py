"""The ``amber`` command: one module per command, errors turned into exit codes in one place."""
