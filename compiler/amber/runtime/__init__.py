"""The runtime: what an app imports to load an artifact.  Standard library and ``mmh3`` only.

Nothing here may import ``amber.compiler``, ``amber.publish`` or ``amber.cli`` (a test checks).
"""
